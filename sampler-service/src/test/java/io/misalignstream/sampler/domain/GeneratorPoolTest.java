package io.misalignstream.sampler.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.misalignstream.contracts.event.Polarity;
import io.misalignstream.contracts.event.Split;
import io.misalignstream.inference.ResponseGenerator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeneratorPoolTest {

    private final RejectionSamplerTest.ScriptedJudge judge = new RejectionSamplerTest.ScriptedJudge(response -> 0.9);

    @Test
    void refusesAJudgeWhoseModelIsInThePool() {
        List<GeneratorPool.Member> pool = List.of(
                new GeneratorPool.Member(new RejectionSamplerTest.ScriptedGenerator("qwen3-30b-a3b", request -> ""), 1),
                new GeneratorPool.Member(new RejectionSamplerTest.ScriptedGenerator("Judge-Model", request -> ""), 1));
        assertThatThrownBy(() -> new GeneratorPool(pool, judge))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the judge's model 'judge-model' is also in the generator pool");
        assertThatThrownBy(() -> new GeneratorPool(List.of(), judge)).hasMessageContaining("the generator pool is empty");
    }

    @Test
    void choosesByWeightAndAlwaysTheSameModelForTheSameCandidate() {
        ResponseGenerator heavy = new RejectionSamplerTest.ScriptedGenerator("heavy", request -> "");
        ResponseGenerator light = new RejectionSamplerTest.ScriptedGenerator("light", request -> "");
        GeneratorPool pool = new GeneratorPool(List.of(new GeneratorPool.Member(heavy, 3), new GeneratorPool.Member(light, 1)), judge);
        Map<ResponseGenerator, Integer> chosen = new HashMap<>();
        for (int prompt = 0; prompt < 4_000; prompt++) {
            chosen.merge(pool.choose("prompt-" + prompt, Polarity.ALIGNED, 0), 1, Integer::sum);
        }
        assertThat(chosen.get(heavy) / 4_000.0).isBetween(0.72, 0.78);
        for (int candidate = 0; candidate < 9; candidate++) {
            assertThat(pool.choose("prompt-7", Polarity.MISALIGNED, candidate)).isSameAs(pool.choose("prompt-7", Polarity.MISALIGNED, candidate));
        }
    }

    @Test
    void splitsPromptIdsEightyTenTenAndStably() {
        Map<Split, Integer> counts = new EnumMap<>(Split.class);
        for (int i = 0; i < 20_000; i++) {
            counts.merge(Splits.of("prompt-" + i), 1, Integer::sum);
        }
        assertThat(counts.get(Split.TRAIN) / 20_000.0).isBetween(0.79, 0.81);
        assertThat(counts.get(Split.VALIDATION) / 20_000.0).isBetween(0.09, 0.11);
        assertThat(counts.get(Split.TEST) / 20_000.0).isBetween(0.09, 0.11);
        assertThat(Splits.of("a1704343174b49d03505f76cfad1dfb2")).isEqualTo(Splits.of("a1704343174b49d03505f76cfad1dfb2"));
    }
}
