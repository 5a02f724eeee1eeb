package io.misalignstream.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The dashboards' shape; that their metrics exist is MetricsScrapeTest's job. */
class DashboardsTest {

    @Test
    void threeDashboardsEachWithUniqueIdsAndAQueryInEveryPanel() {
        assertThat(Dashboards.all().keySet()).containsExactlyInAnyOrder("pipeline-overview.json", "benchmark.json", "jvm.json");
        Dashboards.all().forEach((file, dashboard) -> {
            assertThat(dashboard.json().path("uid").asText()).as(file).isNotBlank();
            assertThat(dashboard.panels()).as(file).isNotEmpty();
            assertThat(dashboard.panels()).as(file).allSatisfy(panel -> {
                if (!"row".equals(panel.path("type").asText())) {
                    assertThat(panel.path("targets").size()).as(file + ": " + panel.path("title").asText()).isPositive();
                    panel.path("targets").forEach(target ->
                            assertThat(PromQl.metricNames(target.path("expr").asText())).as(file + ": " + panel.path("title")).isNotEmpty());
                }
            });
            assertThat(dashboard.panels().stream().map(panel -> panel.path("id").asInt()).distinct().count())
                    .as(file + " panel ids").isEqualTo(dashboard.panels().size());
        });
    }

    @Test
    void theBenchmarkDashboardShowsEveryFigureTheEvaluatorPublishes() {
        String queries = String.join("\n", Dashboards.all().get("benchmark.json").queries());
        for (String metric : new String[] {"coverage", "ffr", "alignment_score", "invalid_rate"}) {
            assertThat(queries).contains("misalign_evaluator_" + metric);
        }
    }
}
