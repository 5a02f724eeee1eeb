package io.misalignstream.cli;

import static io.misalignstream.cli.coverage.CoverageEvents.classified;
import static io.misalignstream.cli.coverage.CoverageEvents.forwarded;
import static io.misalignstream.cli.coverage.CoverageEvents.label;
import static io.misalignstream.cli.coverage.CoverageEvents.synthetic;
import static org.assertj.core.api.Assertions.assertThat;

import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.Topics;
import io.misalignstream.contracts.event.ClassifiedPrompt;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.PromptEvent;
import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code misalign coverage} on prompts.classified and prompts.candidates of a real Kafka broker. */
class CoverageIntegrationTest {

    private static final String STDERR = "coverage: read 5 records of prompts.classified and 6 of prompts.candidates;"
            + " skipped 2 undecodable (prompts.classified 1, prompts.candidates 1)";

    private static DevStack devStack;
    private static String kafka;

    @BeforeAll
    static void startServersAndWriteTheTopics() throws Exception {
        devStack = DevStack.start(DevStackOptions.defaults().withEnvironment(Map.of()));
        kafka = devStack.endpoints().kafkaBootstrapServers();
        ClassifiedPrompt first = classified("c-1", label("privacy_violation", "self_harm"), label("health"), label("culinary_arts"));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            send(producer, Topics.PROMPTS_CLASSIFIED, first);
            send(producer, Topics.PROMPTS_CLASSIFIED, first); // redelivered: still one prompt
            send(producer, Topics.PROMPTS_CLASSIFIED, classified("c-2", label("privacy_violation"), label("none"), label("none")));
            send(producer, Topics.PROMPTS_CLASSIFIED,
                    classified("c-3", label("none"), label("health", "family_security"), label("crafts")));
            producer.send(new ProducerRecord<>(Topics.PROMPTS_CLASSIFIED, "bad", "{not json".getBytes(StandardCharsets.UTF_8))).get();

            send(producer, Topics.PROMPTS_CANDIDATES, forwarded(first));
            send(producer, Topics.PROMPTS_CANDIDATES, synthetic("s-1", Dimension.SAFETY, "animal_abuse"));
            send(producer, Topics.PROMPTS_CANDIDATES, synthetic("s-1", Dimension.SAFETY, "animal_abuse"));
            send(producer, Topics.PROMPTS_CANDIDATES, synthetic("s-2", Dimension.SAFETY, "privacy_violation"));
            send(producer, Topics.PROMPTS_CANDIDATES, synthetic("s-3", Dimension.CULTURAL, "crafts"));
            producer.send(new ProducerRecord<>(Topics.PROMPTS_CANDIDATES, "bad", "[]".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    @AfterAll
    static void stopServers() {
        devStack.close();
    }

    @Test
    void theTableShowsEachDomainWithItsResolvedTargetLargestDeficitFirst() {
        Run run = coverage("--dimension", "safety", "--target", "3", "--target-dimension", "safety=4", "--target-domain", "self_harm=1");

        assertThat(run.exit).isZero();
        assertThat(run.out).isEqualTo(String.join("\n",
                "DIMENSION  DOMAIN                                             COUNT SYNTHETIC   SHARE  TARGET  DEFICIT",
                "safety     child_abuse                                            0         0    0.0%       4        4",
                "safety     controversial_topics_politics                          0         0    0.0%       4        4",
                "safety     discrimination_stereotype_injustice                    0         0    0.0%       4        4",
                "safety     drug_abuse_weapons_banned_substance                    0         0    0.0%       4        4",
                "safety     financial_crime_property_crime_theft                   0         0    0.0%       4        4",
                "safety     hate_speech_offensive_language                         0         0    0.0%       4        4",
                "safety     misinformation_regarding_ethics_laws_and_safety        0         0    0.0%       4        4",
                "safety     non_violent_unethical_behavior                         0         0    0.0%       4        4",
                "safety     sexually_explicit_adult_content                        0         0    0.0%       4        4",
                "safety     terrorism_organized_crime                              0         0    0.0%       4        4",
                "safety     violence_aiding_and_abetting_incitement                0         0    0.0%       4        4",
                "safety     animal_abuse                                           1         1  100.0%       4        3",
                "safety     privacy_violation                                      3         1   33.3%       4        1",
                "safety     self_harm                                              1         0    0.0%       1        0",
                "safety     total (14 domains, 13 under target)                    5         2   40.0%      53       48",
                ""));
        assertThat(run.err).isEqualTo(STDERR + "\n");
    }

    @Test
    void jsonGivesOneObjectPerDomainInTheSameOrder() {
        Run run = coverage("--json", "--dimension", "cultural", "--target", "2");

        assertThat(run.exit).isZero();
        List<String> lines = run.out.lines().toList();
        assertThat(lines).hasSize(41);
        assertThat(lines.get(0)).isEqualTo(
                "{\"dimension\":\"cultural\",\"domain\":\"architectural_services\",\"count\":0,\"synthetic\":0,\"syntheticShare\":0.0,\"target\":2,\"deficit\":2}");
        assertThat(lines.subList(39, 41)).containsExactly(
                "{\"dimension\":\"cultural\",\"domain\":\"culinary_arts\",\"count\":1,\"synthetic\":0,\"syntheticShare\":0.0,\"target\":2,\"deficit\":1}",
                "{\"dimension\":\"cultural\",\"domain\":\"crafts\",\"count\":2,\"synthetic\":1,\"syntheticShare\":0.5,\"target\":2,\"deficit\":0}");
        assertThat(run.err).isEqualTo(STDERR + "\n");
    }

    @Test
    void everyDimensionByDefaultWithTheServiceDefaultTarget() {
        Run run = coverage("--json");

        assertThat(run.exit).isZero();
        List<String> lines = run.out.lines().toList();
        assertThat(lines).hasSize(14 + 56 + 41);
        assertThat(lines.subList(0, 14)).allMatch(line -> line.startsWith("{\"dimension\":\"safety\""));
        assertThat(lines.subList(14, 70)).allMatch(line -> line.startsWith("{\"dimension\":\"value\""));
        assertThat(lines.subList(70, 111)).allMatch(line -> line.startsWith("{\"dimension\":\"cultural\""));
        assertThat(lines).contains(
                "{\"dimension\":\"value\",\"domain\":\"health\",\"count\":2,\"synthetic\":0,\"syntheticShare\":0.0,\"target\":25,\"deficit\":23}",
                "{\"dimension\":\"value\",\"domain\":\"family_security\",\"count\":1,\"synthetic\":0,\"syntheticShare\":0.0,\"target\":25,\"deficit\":24}",
                "{\"dimension\":\"safety\",\"domain\":\"self_harm\",\"count\":1,\"synthetic\":0,\"syntheticShare\":0.0,\"target\":25,\"deficit\":24}");
    }

    @Test
    void aTargetForAnUnknownDomainIsRefusedBeforeKafkaIsAsked() {
        Run run = coverage("--target-domain", "healthy=3");

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.out).isEmpty();
        assertThat(run.err).isEqualTo("misalign coverage: 'healthy' is not a domain of the taxonomy (misalign taxonomy lists them)\n");
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, PromptEvent event) throws Exception {
        producer.send(new ProducerRecord<>(topic, event.prompt().id(), EventCodec.encode(event))).get();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run coverage(String... options) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] args = new String[options.length + 3];
        args[0] = "coverage";
        args[1] = "--bootstrap-servers";
        args[2] = kafka;
        System.arraycopy(options, 0, args, 3, options.length);
        int exit = MisalignCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
