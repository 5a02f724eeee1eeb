package io.misalignstream.evaluator.rest;

import io.misalignstream.apikeys.ErrorBody;
import io.misalignstream.evaluation.agreement.AgreementReport;
import io.misalignstream.evaluation.agreement.RatingsFormatException;
import io.misalignstream.evaluation.agreement.RatingsTable;
import io.misalignstream.evaluator.config.EvaluatorConfig;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;

/**
 * Rater agreement of a ratings table (CSV: {@code item}, {@code rater}, {@code score}, optional {@code group}): ICC
 * forms, DS, DPD (EOD needs gold labels: {@code misalign agreement --gold}). A table with problems gets 400 with every
 * problem and its line; one beyond {@code evaluator.agreement.*} gets 413 with the limits.
 */
@Path("/agreement")
public class AgreementResource {

    /** A problem of the ratings table, on its line. */
    record LineProblem(int line, String message) implements ErrorBody.Problem {
    }

    private final EvaluatorConfig.Agreement limits;

    public AgreementResource(EvaluatorConfig config) {
        this.limits = config.agreement();
    }

    @POST
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    public Response agreement(String csv) {
        try {
            RatingsTable table = RatingsTable.parseCsv(csv == null ? "" : csv);
            long raters = table.raters().size();
            long cells = raters * table.items().size();
            if (raters > limits.maxRaters() || cells > limits.maxCells()) {
                return ErrorBody.response(413, ErrorBody.of(String.format(Locale.ROOT,
                        "%,d raters and %,d items: at most %,d raters and %,d items x raters (evaluator.agreement.*)",
                        raters, table.items().size(), limits.maxRaters(), limits.maxCells())));
            }
            return Response.ok(AgreementReport.of(table)).build();
        } catch (RatingsFormatException e) {
            return ErrorBody.response(Response.Status.BAD_REQUEST.getStatusCode(), new ErrorBody(e.problems().stream()
                    .map(problem -> new LineProblem(problem.line(), problem.message())).toList(), null));
        }
    }
}
