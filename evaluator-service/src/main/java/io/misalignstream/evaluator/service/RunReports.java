package io.misalignstream.evaluator.service;

import io.misalignstream.evaluator.repository.EvaluationStore;
import io.misalignstream.evaluator.repository.EvaluationRun;
import io.misalignstream.evaluation.benchmark.RunTally;
import io.misalignstream.evaluation.benchmark.TradeOff;
import io.misalignstream.evaluator.domain.RunReportView;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** A run's figures, computed from its stored verdicts and the labels of their pairs. */
@ApplicationScoped
public class RunReports {

    private final EvaluationStore store;

    public RunReports(EvaluationStore store) {
        this.store = store;
    }

    public Uni<List<EvaluationRun>> runs() {
        return store.runs();
    }

    public Uni<Optional<RunReportView>> report(String runId) {
        return store.run(runId).chain(found -> found.isEmpty() ? Uni.createFrom().item(Optional.<RunReportView>empty())
                : store.observations(runId).map(observations -> {
                    EvaluationRun run = found.get();
                    RunTally tally = new RunTally();
                    observations.forEach(tally::record);
                    return Optional.of(new RunReportView(run.runId, run.split, run.state.name(), run.repeats, run.targets,
                            run.createdAt, run.finishedAt, TradeOff.FORMULA, RunReportView.results(tally.report())));
                }));
    }
}
