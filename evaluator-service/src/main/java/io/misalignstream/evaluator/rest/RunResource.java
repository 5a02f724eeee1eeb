package io.misalignstream.evaluator.rest;

import io.misalignstream.apikeys.ErrorBody;
import io.misalignstream.contracts.event.InvalidEventException;
import io.misalignstream.contracts.event.Split;
import io.misalignstream.evaluator.repository.EvaluationRun;
import io.misalignstream.evaluator.repository.EvaluationStore;
import io.misalignstream.evaluator.service.RunReports;
import io.misalignstream.evaluator.service.RunService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestPath;

/** Evaluation runs: start one over a split, follow its progress, read its report as JSON or as a page. */
@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    /** A run as listed: what it covers and where it stands. */
    public record RunStatus(String runId, String split, List<String> targets, int repeats, String state, Instant createdAt,
                            Instant finishedAt, long pairs, long expectedVerdicts, Map<String, Long> verdictsPerTarget) {
    }

    private final RunService runs;
    private final RunReports reports;
    private final EvaluationStore store;

    public RunResource(RunService runs, RunReports reports, EvaluationStore store) {
        this.runs = runs;
        this.reports = reports;
        this.store = store;
    }

    @POST
    public Uni<Response> start(RunRequest request) {
        if (request == null || request.split() == null) {
            return Uni.createFrom().item(ErrorBody.response(Response.Status.BAD_REQUEST, "split: required (train, validation or test)"));
        }
        Split split;
        try {
            split = Split.fromJson(request.split());
        } catch (InvalidEventException e) {
            return Uni.createFrom().item(ErrorBody.response(Response.Status.BAD_REQUEST, "split: " + e.getMessage()));
        }
        try {
            return runs.create(split, request.targets(), request.repeats()).chain(this::status)
                    .map(status -> Response.accepted(status).location(URI.create("/runs/" + status.runId())).build())
                    .onFailure(RunService.RunTooLargeException.class)
                    .recoverWithItem(tooLarge -> ErrorBody.response(413, ErrorBody.of(tooLarge.getMessage())));
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(ErrorBody.response(Response.Status.BAD_REQUEST, e.getMessage()));
        }
    }

    @GET
    public Uni<List<EvaluationRun>> list() {
        return reports.runs();
    }

    @GET
    @Path("/{runId}")
    public Uni<Response> one(@RestPath String runId) {
        return store.run(runId).chain(run -> run.isEmpty() ? Uni.createFrom().item(notFound(runId))
                : status(run.get()).map(status -> Response.ok(status).build()));
    }

    @GET
    @Path("/{runId}/report")
    public Uni<Response> report(@RestPath String runId) {
        return reports.report(runId).map(report -> report.map(found -> Response.ok(found).build()).orElseGet(() -> notFound(runId)));
    }

    @GET
    @Path("/{runId}/report.html")
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> page(@RestPath String runId) {
        return reports.report(runId).map(report -> report
                .map(found -> Response.ok(ReportPage.render(found), MediaType.TEXT_HTML_TYPE).build())
                .orElseGet(() -> notFound(runId)));
    }

    private Uni<RunStatus> status(EvaluationRun run) {
        return store.progress(run.runId).map(progress -> new RunStatus(run.runId, run.split, run.targets, run.repeats,
                run.state.name(), run.createdAt, run.finishedAt, progress.pairs(),
                progress.pairs() * 2 * run.repeats * run.targets.size(), progress.verdictsPerTarget()));
    }

    private static Response notFound(String runId) {
        return ErrorBody.response(Response.Status.NOT_FOUND, "no run " + runId);
    }
}
