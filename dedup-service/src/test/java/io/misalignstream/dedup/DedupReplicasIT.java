package io.misalignstream.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.DuplicatePrompt;
import io.misalignstream.contracts.event.UniquePrompt;
import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import io.misalignstream.devstack.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service, two replicas as separate processes in one consumer group, racing on a stream full
 * of near-duplicates; one of them killed with SIGKILL mid-stream and started again.
 */
class DedupReplicasIT {

    private static final int K = 10;
    private static final String GROUP = "dedup-service";
    private static final Duration DECIDED = Duration.ofSeconds(180);
    private static final Pattern DECIDED_METRIC = Pattern.compile("misalign_dedup_prompts_total\\{[^}]*} ([0-9.E]+)");

    private static DevStack devStack;

    @BeforeAll
    static void startServers() {
        devStack = DevStack.start(DevStackOptions.defaults().withEnvironment(Map.of()));
    }

    @AfterAll
    static void stopServers() {
        if (devStack != null) {
            devStack.close();
        }
    }

    @Test
    void racingReplicasNeverAcceptTwoNearDuplicatesAndLoseNothingWhenOneIsKilled() throws Exception {
        Random random = new Random(42);
        List<CandidatePrompt> stream = new ArrayList<>();
        for (int base = 0; base < 300; base++) {
            String text = PipelineTopics.madeUpSentence(random, 18);
            stream.add(PipelineTopics.candidate("b" + base, text));
            stream.add(PipelineTopics.candidate("b" + base + "-copy", text));
            stream.add(PipelineTopics.candidate("b" + base + "-please", "Please " + text));
            stream.add(PipelineTopics.candidate("b" + base + "-thanks", text + " Thanks!"));
            stream.add(PipelineTopics.candidate("b" + base + "-upper", text.toUpperCase(java.util.Locale.ROOT) + "?"));
            stream.add(PipelineTopics.candidate("b" + base + "-typo", text.replaceFirst("[aeiou]", "")));
        }
        Collections.shuffle(stream, random);
        List<CandidatePrompt> firstHalf = stream.subList(0, stream.size() / 2);
        List<CandidatePrompt> secondHalf = stream.subList(stream.size() / 2, stream.size());

        try (ServiceProcess left = replica("left"); ServiceProcess right = replica("right");
             PipelineTopics topics = new PipelineTopics(devStack.endpoints().kafkaBootstrapServers())) {
            // ready is not yet in the group: until both hold partitions, one could take the whole first half
            awaitPartitionsSharedByTwoMembers();
            topics.sendAll(firstHalf);
            await().atMost(DECIDED).pollInterval(Duration.ofSeconds(1)).until(() -> topics.read().decided() >= firstHalf.size() / 2);
            assertThat(decided(left)).as("left replica decided some").isPositive();
            assertThat(decided(right)).as("right replica decided some").isPositive();

            left.kill();
            topics.sendAll(secondHalf);
            topics.sendAll(firstHalf.subList(0, 100)); // re-deliveries
            try (ServiceProcess restarted = replica("left-again")) {
                await().atMost(DECIDED).pollInterval(Duration.ofSeconds(1)).until(() -> decidedIds(topics.read()).size() == stream.size());
            }
            PipelineTopics.Outputs outputs = topics.read();
            assertThat(outputs.deadLetters()).isEmpty();
            Set<String> ids = new HashSet<>();
            stream.forEach(candidate -> ids.add(candidate.prompt().id()));
            assertThat(decidedIds(outputs)).isEqualTo(ids);
            assertThat(outputs.unique().keySet()).as("no prompt both unique and a duplicate").doesNotContainAnyElementsOf(outputs.duplicates().keySet());
            DedupServiceTest.assertNoTwoUniqueNearDuplicates(outputs);
            for (List<DuplicatePrompt> decisions : outputs.duplicates().values()) {
                DuplicatePrompt duplicate = decisions.get(0);
                assertThat(decisions).as("re-deliveries decided alike").allMatch(again -> again.matchedPromptId().equals(duplicate.matchedPromptId()));
                UniquePrompt matched = outputs.unique().get(duplicate.matchedPromptId()).get(0);
                assertThat(Long.bitCount(matched.fingerprint().bits() ^ duplicate.fingerprint().bits())).isEqualTo(duplicate.hammingDistance())
                        .isLessThanOrEqualTo(duplicate.threshold());
                assertThat(duplicate.similarity()).isGreaterThanOrEqualTo(DedupServiceTest.RULE.minSimilarity());
            }
            // the base sentences are far apart: one unique per base, whichever variant came first
            assertThat(outputs.unique()).hasSizeBetween(300, 330);
        }
    }

    private static void awaitPartitionsSharedByTwoMembers() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, devStack.endpoints().kafkaBootstrapServers()))) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
                return group.members().size() == 2
                        && group.members().stream().allMatch(member -> !member.assignment().topicPartitions().isEmpty());
            });
        }
    }

    private static Set<String> decidedIds(PipelineTopics.Outputs outputs) {
        Set<String> ids = new HashSet<>(outputs.unique().keySet());
        ids.addAll(outputs.duplicates().keySet());
        ids.addAll(outputs.deadLetters().keySet());
        return ids;
    }

    /** One dedup-service process from the packaged application. */
    private static ServiceProcess replica(String name) throws Exception {
        ServiceProcess replica = ServiceProcess.start(Path.of("target", "quarkus-app", "quarkus-run.jar"), "replica-" + name, devStack,
                Map.of("DEDUP_LOOKUP_THREADS", "1"));
        replica.awaitReady(Duration.ofSeconds(60));
        return replica;
    }

    /** Prompts a replica decided (unique or duplicate), from its metrics. */
    private static double decided(ServiceProcess replica) throws Exception {
        Matcher matcher = DECIDED_METRIC.matcher(replica.get("/q/metrics").body());
        double total = 0;
        while (matcher.find()) {
            total += Double.parseDouble(matcher.group(1));
        }
        return total;
    }
}
