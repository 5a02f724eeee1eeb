package io.misalignstream.deploycheck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceEnvironmentTest {

    @Test
    void readsTheVariablesItsPropertiesNameAndItsConfigMappingsProperties() {
        ServiceEnvironment sampler = ServiceEnvironment.of("sampler-service");
        assertThat(sampler.reads("POSTGRES_PASSWORD")).isTrue();
        assertThat(sampler.reads("MISALIGN_API_KEYS")).isTrue();
        assertThat(sampler.reads("SAMPLER_GENERATORS_BACKEND")).isTrue();
        assertThat(sampler.reads("SAMPLER_GENERATORS_POOL_LLAMA_BASE_URL")).isTrue();
        assertThat(sampler.reads("SAMPLER_GENERATORS_POOL_LLAMA_WEIGHT")).isTrue();
        assertThat(sampler.reads("SAMPLER_JUDGE_OPENAI_MODEL")).isTrue();
        assertThat(sampler.reads("SAMPLER_CIRCUIT_BREAKER_DELAY")).isTrue();
    }

    @Test
    void refusesWhatTheServiceDoesNotRead() {
        ServiceEnvironment sampler = ServiceEnvironment.of("sampler-service");
        assertThat(sampler.reads("SAMPLER_GENERATOR_BACKEND")).isFalse();
        assertThat(sampler.reads("SAMPLER_GENERATORS_POOL_LLAMA_URL")).isFalse();
        assertThat(sampler.reads("EVALUATOR_TARGETS_LLAMA_BASE_URL")).isFalse();
        assertThat(ServiceEnvironment.of("dedup-service").reads("POSTGRES_URL")).isFalse();
        assertThat(ServiceEnvironment.of("dedup-service").reads("MISALIGN_API_KEYS")).as("no REST API").isFalse();
    }

    @Test
    void mapsKeyedByEnumsAndStringsAndTheClassifiersOwnVariables() {
        assertThat(ServiceEnvironment.of("expander-service").reads("EXPANDER_TARGETS_DIMENSION_SAFETY")).isTrue();
        assertThat(ServiceEnvironment.of("expander-service").reads("EXPANDER_GENERATOR_OPENAI_MODEL")).isTrue();
        assertThat(ServiceEnvironment.of("evaluator-service").reads("EVALUATOR_TARGETS_OLLAMA_API_KEY")).isTrue();
        assertThat(ServiceEnvironment.of("evaluator-service").reads("EVALUATOR_TARGETS_OLLAMA_MAX_CONCURRENCY")).isTrue();
        assertThat(ServiceEnvironment.of("evaluator-service").reads("EVALUATOR_CIRCUIT_BREAKER_FAILURE_RATIO")).isTrue();
        assertThat(ServiceEnvironment.of("expander-service").reads("EXPANDER_RETRY_MAX_RETRIES")).isTrue();
        assertThat(ServiceEnvironment.of("classifier-service").reads("CLASSIFIER_GROUP_ID")).isTrue();
        assertThat(ServiceEnvironment.of("classifier-service").reads("FRONT_DOOR_MAX_PROMPTS")).isTrue();
    }
}
