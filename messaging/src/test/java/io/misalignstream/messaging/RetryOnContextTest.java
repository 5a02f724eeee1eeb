package io.misalignstream.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.misalignstream.resilience.BackOff;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetryOnContextTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aTryThatNeverAnswersIsCancelledAndTriedAgainOnTheSameContext() throws Exception {
        RetryOnContext retry = new RetryOnContext(new BackOff(Duration.ofMillis(10), Duration.ofMillis(40)), Duration.ofMillis(200));
        AtomicInteger tries = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Boolean> onContext = new CopyOnWriteArrayList<>();
        Context context = vertx.getOrCreateContext();
        CompletableFuture<String> result = new CompletableFuture<>();
        context.runOnContext(ignored -> retry.untilDone(() -> {
                    onContext.add(Vertx.currentContext() == context);
                    return switch (tries.incrementAndGet()) {
                        case 1 -> Uni.createFrom().<String>nothing().onCancellation().invoke(cancelled::incrementAndGet);
                        case 2 -> Uni.createFrom().failure(new IllegalStateException("connection refused"));
                        default -> Uni.createFrom().item("stored");
                    };
                }, failure -> failure instanceof IllegalStateException, (failure, retryIn) -> failures.add(failure))
                .subscribe().with(result::complete, result::completeExceptionally));

        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("stored");
        assertThat(tries).hasValue(3);
        assertThat(cancelled).hasValue(1);
        assertThat(failures).hasSize(2);
        assertThat(failures.get(0)).isInstanceOf(RetryOnContext.AttemptTimedOutException.class);
        assertThat(failures.get(1)).hasMessage("connection refused");
        assertThat(onContext).containsOnly(true);
    }

    @Test
    void aFailureNotWorthRetryingEndsTheRetries() throws Exception {
        RetryOnContext retry = new RetryOnContext(new BackOff(Duration.ofMillis(10), Duration.ofMillis(40)), Duration.ofSeconds(5));
        CompletableFuture<String> result = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(ignored -> retry.<String>untilDone(
                        () -> Uni.createFrom().failure(new IllegalArgumentException("bad row")),
                        failure -> failure instanceof IllegalStateException, (failure, retryIn) -> { })
                .subscribe().with(result::complete, result::completeExceptionally));
        assertThat(result).failsWithin(Duration.ofSeconds(10)).withThrowableThat().withMessageContaining("bad row");
    }
}
