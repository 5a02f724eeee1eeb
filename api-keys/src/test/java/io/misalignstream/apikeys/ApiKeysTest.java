package io.misalignstream.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void acceptsOnlyConfiguredKeys() {
        ApiKeys keys = new ApiKeys(List.of("first-key", " second-key "));

        assertThat(keys.configured()).isTrue();
        assertThat(keys.accepts("first-key")).isTrue();
        assertThat(keys.accepts("second-key")).isTrue();
        assertThat(keys.accepts("first-ke")).isFalse();
        assertThat(keys.accepts("first-key ")).isFalse();
        assertThat(keys.accepts("")).isFalse();
        assertThat(keys.accepts(null)).isFalse();
    }

    @Test
    void noKeyConfiguredAcceptsNothing() {
        ApiKeys keys = new ApiKeys(List.of(" ", ""));

        assertThat(keys.configured()).isFalse();
        assertThat(keys.accepts(" ")).isFalse();
        assertThat(keys.accepts("anything")).isFalse();
    }
}
