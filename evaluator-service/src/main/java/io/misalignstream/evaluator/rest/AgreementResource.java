package io.misalignstream.evaluator.rest;

import io.misalignstream.evaluation.agreement.AgreementReport;
import io.misalignstream.evaluation.agreement.RatingsFormatException;
import io.misalignstream.evaluation.agreement.RatingsTable;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * Rater agreement of a ratings table (CSV: {@code item}, {@code rater}, {@code score}, optional {@code group}): ICC
 * forms, DS, DPD (EOD needs gold labels: {@code misalign agreement --gold}). A table with problems gets 400 with every
 * problem and its line.
 */
@Path("/agreement")
public class AgreementResource {

    @POST
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    public Response agreement(String csv) {
        try {
            return Response.ok(AgreementReport.of(RatingsTable.parseCsv(csv == null ? "" : csv))).build();
        } catch (RatingsFormatException e) {
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("errors", e.problems().stream()
                            .map(problem -> Map.of("line", problem.line(), "message", problem.message())).toList()))
                    .build();
        }
    }
}
