package io.misalignstream.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.misalignstream.devstack.DevStack;
import io.misalignstream.devstack.DevStackOptions;
import io.misalignstream.devstack.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The packaged service, as its own process, refuses to start when its judge is also one of its generators. */
class SamplerMisconfigurationIT {

    @Test
    void refusesToStartWithTheJudgeInTheGeneratorPool() throws Exception {
        Map<String, String> judgeInPool = Map.of(
                "SAMPLER_GENERATORS_BACKEND", "openai",
                "SAMPLER_GENERATORS_POOL_LLAMA_BASE_URL", "http://localhost:9/v1",
                "SAMPLER_GENERATORS_POOL_LLAMA_MODEL", "llama3.1:8b-instruct-q4_K_M",
                "SAMPLER_JUDGE_BACKEND", "openai",
                "SAMPLER_JUDGE_OPENAI_BASE_URL", "http://localhost:9/v1",
                "SAMPLER_JUDGE_OPENAI_MODEL", "llama3.1:8b-instruct-q4_K_M");
        try (DevStack devStack = DevStack.start(DevStackOptions.defaults().withEnvironment(Map.of()));
             ServiceProcess service = ServiceProcess.start(Path.of("target", "quarkus-app", "quarkus-run.jar"), "sampler-misconfigured",
                     devStack, judgeInPool)) {
            await().atMost(Duration.ofMinutes(2)).until(() -> !service.isAlive());
            // the whole log: the stack trace of the failed start can push the message out of the tail
            try (Stream<Path> logs = Files.list(Path.of("target"))) {
                Path log = logs.filter(file -> file.getFileName().toString().startsWith("sampler-misconfigured-"))
                        .max(Comparator.comparing(file -> file.toFile().lastModified())).orElseThrow();
                assertThat(Files.readString(log)).contains("the judge's model 'llama3.1:8b-instruct-q4_K_M' is also in the generator pool");
            }
        }
    }
}
