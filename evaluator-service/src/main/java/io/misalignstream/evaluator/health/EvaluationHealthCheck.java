package io.misalignstream.evaluator.health;

import io.misalignstream.evaluator.service.EvaluationEngine;
import io.misalignstream.evaluator.service.VerdictWriter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while PostgreSQL does not take the verdicts (the runs, the reports and the stream all wait on it). Each
 * target's state is in the data: a target that cannot answer holds only its own questions, and the service's API and
 * its other targets go on, so it does not make the service unready.
 */
@Readiness
@ApplicationScoped
public class EvaluationHealthCheck implements HealthCheck {

    private final EvaluationEngine engine;
    private final VerdictWriter writer;

    public EvaluationHealthCheck(EvaluationEngine engine, VerdictWriter writer) {
        this.engine = engine;
        this.writer = writer;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("evaluator-store").status(writer.storeAvailable());
        engine.targetsAnswering().forEach((target, answering) -> response.withData("target " + target, answering ? "answering" : "unavailable"));
        return response.build();
    }
}
