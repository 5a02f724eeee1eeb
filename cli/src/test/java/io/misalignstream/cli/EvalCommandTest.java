package io.misalignstream.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.misalignstream.cli.eval.EvaluatorClient;
import io.misalignstream.cli.eval.ReportSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code misalign eval} against a stub of the evaluator service's run API (evaluator-service RunResource). */
class EvalCommandTest {

    private static final String KEY = "evaluator-test-key";
    private static final String RUN = "run-20250101-120000-0a1b2c3d";

    private static final String RUNNING = status("RUNNING", null, 12, 6);
    private static final String FINISHED = status("FINISHED", "\"2025-01-01T12:30:00Z\"", 240, 240);

    /**
     * The report as RunReportView writes it. Undefined figures in the three spellings a client may meet: "NaN" (Jackson's
     * default), null, and a bare NaN.
     */
    private static final String REPORT = """
            {"runId":"%s","split":"test","state":"FINISHED","repeats":3,"targets":["alpha","beta"],
             "createdAt":"2025-01-01T12:00:00Z","finishedAt":"2025-01-01T12:30:00Z","tradeOffFormula":"Misalignment trade-off ...",
             "results":[
              {"target":"alpha",
               "overall":{"kind":"all","slice":{},"coverage":{"mean":0.9,"standardDeviation":0.01,"repeats":3},
                 "ffr":{"mean":0.05,"standardDeviation":0.005,"repeats":3},"alignmentScore":{"mean":0.924,"standardDeviation":0.007,"repeats":3},
                 "invalidRate":{"mean":0.02,"standardDeviation":0.01,"repeats":3},"verdicts":240},
               "slices":[
                {"kind":"dimension","slice":{"dimension":"safety"},"coverage":{"mean":0.95,"standardDeviation":0.01,"repeats":3},
                 "ffr":{"mean":0.04,"standardDeviation":0.01,"repeats":3},"alignmentScore":{"mean":0.953,"standardDeviation":0.011,"repeats":3},
                 "invalidRate":{"mean":0.0,"standardDeviation":0.0,"repeats":3},"verdicts":120},
                {"kind":"dimension","slice":{"dimension":"value"},"coverage":{"mean":0.85,"standardDeviation":0.02,"repeats":3},
                 "ffr":{"mean":0.06,"standardDeviation":0.01,"repeats":3},"alignmentScore":{"mean":0.881,"standardDeviation":0.024,"repeats":3},
                 "invalidRate":{"mean":0.0,"standardDeviation":0.0,"repeats":3},"verdicts":120},
                {"kind":"dimension","slice":{"dimension":"cultural"},"coverage":{"mean":"NaN","standardDeviation":"NaN","repeats":0},
                 "ffr":{"mean":"NaN","standardDeviation":"NaN","repeats":0},"alignmentScore":{"mean":"NaN","standardDeviation":"NaN","repeats":0},
                 "invalidRate":{"mean":"NaN","standardDeviation":"NaN","repeats":0},"verdicts":0},
                {"kind":"domain","slice":{"dimension":"safety","domain":"self_harm"},"coverage":{"mean":0.5,"standardDeviation":0.1,"repeats":3},
                 "ffr":{"mean":0.1,"standardDeviation":0.1,"repeats":3},"alignmentScore":{"mean":0.111,"standardDeviation":0.1,"repeats":3},
                 "invalidRate":{"mean":0.0,"standardDeviation":0.0,"repeats":3},"verdicts":12}],
               "tradeOff":{"singleDimensionScore":0.93,"multiDimensionScore":0.9,"drop":0.03,"dimensionSpread":0.072,"semanticTypeSpread":"NaN"}},
              {"target":"beta",
               "overall":{"kind":"all","slice":{},"coverage":{"mean":0.7,"standardDeviation":null,"repeats":1},
                 "ffr":{"mean":0.2,"standardDeviation":null,"repeats":1},"alignmentScore":{"mean":0.747,"standardDeviation":null,"repeats":1},
                 "invalidRate":{"mean":0.125,"standardDeviation":null,"repeats":1},"verdicts":240},
               "slices":[
                {"kind":"dimension","slice":{"dimension":"safety"},"coverage":{"mean":0.7,"standardDeviation":null,"repeats":1},
                 "ffr":{"mean":0.2,"standardDeviation":null,"repeats":1},"alignmentScore":{"mean":0.747,"standardDeviation":null,"repeats":1},
                 "invalidRate":{"mean":0.1,"standardDeviation":null,"repeats":1},"verdicts":240},
                {"kind":"dimension","slice":{"dimension":"value"},"coverage":{"mean":NaN,"standardDeviation":NaN,"repeats":0},
                 "ffr":{"mean":NaN,"standardDeviation":NaN,"repeats":0},"alignmentScore":{"mean":NaN,"standardDeviation":NaN,"repeats":0},
                 "invalidRate":{"mean":NaN,"standardDeviation":NaN,"repeats":0},"verdicts":0}],
               "tradeOff":{"singleDimensionScore":null,"multiDimensionScore":null,"drop":null,"dimensionSpread":null,"semanticTypeSpread":null}}]}
            """.formatted(RUN);
    private static final String PAGE = "<!DOCTYPE html><html><body><h1>Evaluation run " + RUN + "</h1></body></html>";

    private final WireMockServer evaluator = new WireMockServer(options().dynamicPort());

    @TempDir
    Path output;

    @BeforeEach
    void start() {
        evaluator.start();
    }

    @AfterEach
    void stop() {
        evaluator.stop();
    }

    @Test
    void startsTheRunFollowsItToTheEndAndPrintsAndWritesTheReport() throws IOException {
        stubRunThatFinishesOnTheSecondPoll();

        Run run = eval(Map.of(EvalCommand.ENV_KEY, KEY), "--evaluator-url", evaluator.baseUrl(), "--split", "test",
                "--target", "alpha", "--target", "beta", "--repeats", "3", "--output-dir", output.toString());

        assertThat(run.exit).as(run.err).isZero();
        evaluator.verify(1, postRequestedFor(urlEqualTo("/runs")).withHeader(EvaluatorClient.KEY_HEADER, equalTo(KEY))
                .withRequestBody(equalToJson("{\"split\":\"test\",\"targets\":[\"alpha\",\"beta\"],\"repeats\":3}")));
        evaluator.verify(2, getRequestedFor(urlEqualTo("/runs/" + RUN)).withHeader(EvaluatorClient.KEY_HEADER, equalTo(KEY)));
        assertThat(run.err).contains("eval " + RUN + ": started: 40 pairs of test x alpha, beta x 3 repeat(s), 480 verdicts expected")
                .contains("eval " + RUN + ": 18 of 480 verdicts (alpha 12 of 240, beta 6 of 240)")
                .contains("eval " + RUN + ": 480 of 480 verdicts (alpha 240 of 240, beta 240 of 240)");

        String pm = " " + ReportSummary.PLUS_MINUS + " ";
        assertThat(run.out).contains("run " + RUN + ": split test, 3 repeat(s), finished 2025-01-01T12:30:00Z");
        assertThat(run.out).containsPattern("TARGET +COVERAGE +FFR +ALIGNMENT SCORE +INVALID RATE +VERDICTS");
        assertThat(run.out).containsPattern("alpha +0\\.900" + pm + "0\\.010 +0\\.050" + pm + "0\\.005 +0\\.924" + pm + "0\\.007 +0\\.020"
                + pm + "0\\.010 +240");
        // One repeat: the mean alone.
        assertThat(run.out).containsPattern("beta +0\\.700 +0\\.200 +0\\.747 +0\\.125 +240");
        assertThat(run.out).contains("Alignment Score per dimension").containsPattern("TARGET +SAFETY +VALUE +CULTURAL");
        // "NaN", null and a bare NaN are all undefined: "-".
        assertThat(run.out).containsPattern("alpha +0\\.953" + pm + "0\\.011 +0\\.881" + pm + "0\\.024 +-\\n");
        assertThat(run.out).containsPattern("beta +0\\.747 +- +-\\n");

        assertThat(output.resolve(RUN + ".json")).hasContent(REPORT);
        assertThat(output.resolve(RUN + ".html")).hasContent(PAGE);
        try (Stream<Path> files = Files.list(output)) {
            assertThat(files).extracting(file -> file.getFileName().toString()).containsExactlyInAnyOrder(RUN + ".json", RUN + ".html");
        }
        assertThat(run.err).contains("report written to " + output.resolve(RUN + ".json"));
    }

    @Test
    void printsTheReportJsonWithJsonAndLeavesTargetsAndRepeatsToTheService() throws IOException {
        stubRunThatFinishesOnTheSecondPoll();

        Run run = eval(Map.of(EvalCommand.ENV_KEY, KEY, EvalCommand.ENV_URL, evaluator.baseUrl()), "--json",
                "--output-dir", output.toString());

        assertThat(run.exit).as(run.err).isZero();
        evaluator.verify(postRequestedFor(urlEqualTo("/runs")).withRequestBody(equalToJson("{\"split\":\"test\"}")));
        assertThat(run.out.strip()).isEqualTo(REPORT.strip());
        assertThat(output.resolve(RUN + ".json")).exists();
    }

    @Test
    void withNoWaitPrintsTheRunIdAndDoesNotPoll() {
        stubRunThatFinishesOnTheSecondPoll();

        Run run = eval(Map.of(EvalCommand.ENV_KEY, KEY), "--evaluator-url", evaluator.baseUrl(), "--no-wait", "--output-dir", output.toString());

        assertThat(run.exit).isZero();
        assertThat(run.out.strip()).isEqualTo(RUN);
        evaluator.verify(0, getRequestedFor(urlEqualTo("/runs/" + RUN)));
        assertThat(output).isEmptyDirectory();
    }

    @Test
    void refusesToStartWithoutAKeyInTheEnvironmentAndSendsNothing() {
        stubRunThatFinishesOnTheSecondPoll();

        Run run = eval(Map.of(EvalCommand.ENV_URL, evaluator.baseUrl()), "--output-dir", output.toString());

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err.strip()).isEqualTo("eval: set MISALIGN_API_KEY to one of the evaluator service's API keys (its MISALIGN_API_KEYS)");
        evaluator.verify(0, anyRequestedFor(anyUrl()));
        assertThat(output).isEmptyDirectory();
    }

    @Test
    void aRunTheServiceRefusesIsItsMessageAndExitCode2() {
        evaluator.stubFor(post(urlEqualTo("/runs")).willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"errors\":[{\"message\":\"targets: 'gamma' is not a configured target (alpha, beta)\"}]}")));

        Run run = eval(Map.of(EvalCommand.ENV_KEY, KEY), "--evaluator-url", evaluator.baseUrl(), "--target", "gamma",
                "--output-dir", output.toString());

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err.strip()).isEqualTo("eval: the evaluator service would not start a run (400): "
                + "targets: 'gamma' is not a configured target (alpha, beta)");
        assertThat(run.out).isEmpty();
        assertThat(output).isEmptyDirectory();
    }

    @Test
    void aRefusedKeyIsOneLineAndExitCode2() {
        evaluator.stubFor(post(urlEqualTo("/runs")).willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"errors\":[{\"message\":\"missing or unknown API key\"}]}")));

        Run run = eval(Map.of(EvalCommand.ENV_KEY, "wrong"), "--evaluator-url", evaluator.baseUrl(), "--output-dir", output.toString());

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err.lines()).containsExactly(
                "eval: the evaluator service refused the API key: set MISALIGN_API_KEY to one of the keys in its MISALIGN_API_KEYS");
    }

    @Test
    void anUnknownSplitIsRefusedBeforeAnyRequest() {
        Run run = eval(Map.of(EvalCommand.ENV_KEY, KEY), "--evaluator-url", evaluator.baseUrl(), "--split", "holdout");

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("--split holdout");
        evaluator.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void saysWhenTheServiceIsNotThereAfterTheTimeout() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Run run = eval(Map.of(EvalCommand.ENV_KEY, KEY), "--evaluator-url", "http://127.0.0.1:" + closedPort, "--timeout", "1",
                "--output-dir", output.toString());

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err.lines()).containsExactly("eval: cannot reach the evaluator service at http://127.0.0.1:" + closedPort
                + "/ within 1 s; is it running? (name it with --evaluator-url or MISALIGN_EVALUATOR_URL)");
        assertThat(output).isEmptyDirectory();
    }

    private void stubRunThatFinishesOnTheSecondPoll() {
        evaluator.stubFor(post(urlEqualTo("/runs")).withHeader(EvaluatorClient.KEY_HEADER, equalTo(KEY))
                .willReturn(json(202, status("RUNNING", null, 0, 0)).withHeader("Location", "/runs/" + RUN)));
        evaluator.stubFor(get(urlEqualTo("/runs/" + RUN)).withHeader(EvaluatorClient.KEY_HEADER, equalTo(KEY))
                .inScenario("run").whenScenarioStateIs(STARTED).willReturn(json(200, RUNNING)).willSetStateTo("finished"));
        evaluator.stubFor(get(urlEqualTo("/runs/" + RUN)).withHeader(EvaluatorClient.KEY_HEADER, equalTo(KEY))
                .inScenario("run").whenScenarioStateIs("finished").willReturn(json(200, FINISHED)));
        evaluator.stubFor(get(urlEqualTo("/runs/" + RUN + "/report")).withHeader(EvaluatorClient.KEY_HEADER, equalTo(KEY))
                .willReturn(json(200, REPORT)));
        evaluator.stubFor(get(urlEqualTo("/runs/" + RUN + "/report.html")).withHeader(EvaluatorClient.KEY_HEADER, equalTo(KEY))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody(PAGE)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String status(String state, String finishedAt, long alpha, long beta) {
        return """
                {"runId":"%s","split":"test","targets":["alpha","beta"],"repeats":3,"state":"%s",
                 "createdAt":"2025-01-01T12:00:00Z","finishedAt":%s,"pairs":40,"expectedVerdicts":480,
                 "verdictsPerTarget":{"alpha":%d,"beta":%d}}""".formatted(RUN, state, finishedAt, alpha, beta);
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run eval(Map<String, String> environment, String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new EvalCommand(environment, Duration.ofMillis(20)))
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int exit = commandLine.execute(arguments);
        return new Run(exit, out.toString(), err.toString());
    }
}
