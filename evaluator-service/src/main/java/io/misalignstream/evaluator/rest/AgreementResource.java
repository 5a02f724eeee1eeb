package io.misalignstream.evaluator.rest;

import io.misalignstream.apikeys.ErrorBody;
import io.misalignstream.evaluation.agreement.AgreementReport;
import io.misalignstream.evaluation.agreement.RatingsFormatException;
import io.misalignstream.evaluation.agreement.RatingsTable;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Rater agreement of a ratings table (CSV: {@code item}, {@code rater}, {@code score}, optional {@code group}): ICC
 * forms, DS, DPD (EOD needs gold labels: {@code misalign agreement --gold}). A table with problems gets 400 with every
 * problem and its line.
 */
@Path("/agreement")
public class AgreementResource {

    /** A problem of the ratings table, on its line. */
    record LineProblem(int line, String message) implements ErrorBody.Problem {
    }

    @POST
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    public Response agreement(String csv) {
        try {
            return Response.ok(AgreementReport.of(RatingsTable.parseCsv(csv == null ? "" : csv))).build();
        } catch (RatingsFormatException e) {
            return ErrorBody.response(Response.Status.BAD_REQUEST.getStatusCode(), new ErrorBody(e.problems().stream()
                    .map(problem -> new LineProblem(problem.line(), problem.message())).toList(), null));
        }
    }
}
