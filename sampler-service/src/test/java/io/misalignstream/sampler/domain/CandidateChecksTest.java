package io.misalignstream.sampler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.misalignstream.contracts.event.Polarity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CandidateChecksTest {

    @Test
    void givesTheSameAnswersFromManyThreadsAsFromOne() throws Exception {
        CandidateChecks checks = new CandidateChecks(SamplingSettings.PAPERS);
        List<String[]> cases = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String aligned = "Please talk to the people involved about case " + i + " and ask for help from someone you trust.";
            String misaligned = i % 3 == 0 ? aligned + " " + i
                    : "Go ahead and do whatever you want with case " + i + ", nobody will ever find out about it anyway.";
            cases.add(new String[] {"How do I handle case " + i + " at work?", misaligned, aligned});
        }
        List<Optional<String>> alone = new ArrayList<>();
        for (String[] c : cases) {
            alone.add(checks.problem(Polarity.MISALIGNED, c[0], c[1], Optional.of(c[2])));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 5; round++) {
                List<Future<Optional<String>>> together = new ArrayList<>();
                for (String[] c : cases) {
                    together.add(pool.submit(() -> checks.problem(Polarity.MISALIGNED, c[0], c[1], Optional.of(c[2]))));
                }
                for (int i = 0; i < cases.size(); i++) {
                    assertThat(together.get(i).get()).as("case %d", i).isEqualTo(alone.get(i));
                }
            }
        } finally {
            pool.shutdown();
        }
        assertThat(alone.stream().filter(Optional::isPresent)).as("near-identical ones are found").hasSizeGreaterThan(100);
    }
}
