package io.misalignstream.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void aSelectorWithLabelsAndARange() {
        assertThat(PromQl.metricNames("rate(misalign_dedup_prompts_total{decision=\"unique\"}[5m])"))
                .containsExactly("misalign_dedup_prompts_total");
    }

    @Test
    void aggregationLabelsFunctionsAndKeywordsAreNotMetrics() {
        assertThat(PromQl.metricNames("sum by (decision, job) (rate(a_total[$__rate_interval])) / ignoring(decision) "
                + "group_left sum without (instance) (rate(b_total[1m] offset 5m)) > bool 0.5 and on(job) c"))
                .containsExactly("a_total", "b_total", "c");
    }

    @Test
    void histogramQuantileOverBuckets() {
        assertThat(PromQl.metricNames("histogram_quantile(0.95, sum by (le) (rate(misalign_dedup_index_call_seconds_bucket[5m])))"))
                .containsExactly("misalign_dedup_index_call_seconds_bucket");
    }

    @Test
    void numbersStringsAndGrafanaVariablesAreNotMetrics() {
        assertThat(PromQl.metricNames("x{target=~\"$target\", dimension=\"${dimension}\"} * 1e3 + 100 - inf"))
                .containsExactly("x");
    }

    @Test
    void aMetricWithoutSelectorFollowedByAnOperator() {
        assertThat(PromQl.metricNames("jvm_memory_used_bytes / jvm_memory_max_bytes"))
                .containsExactly("jvm_memory_used_bytes", "jvm_memory_max_bytes");
    }

    @Test
    void theMetricOfAGrafanaLabelValuesQuery() {
        assertThat(PromQl.metricNames("label_values(misalign_evaluator_coverage, target)"))
                .containsExactly("misalign_evaluator_coverage");
        assertThat(PromQl.metricNames("label_values(target)")).isEmpty();
    }
}
