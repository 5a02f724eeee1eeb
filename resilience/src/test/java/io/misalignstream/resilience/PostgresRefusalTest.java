package io.misalignstream.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class PostgresRefusalTest {

    @Test
    void dataExceptionsAndIntegrityViolationsAreTheContentsFault() {
        // 22021: character not in repertoire (a NUL in text); 23505: unique violation
        assertThat(PostgresRefusal.isForContent(new PgException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "22021", null))).isTrue();
        assertThat(PostgresRefusal.isForContent(new CompletionException(new PgException("duplicate key", "ERROR", "23505", null)))).isTrue();
        // as Hibernate Reactive reports it
        assertThat(PostgresRefusal.isForContent(new IllegalStateException(new SQLException("ERROR: prompt id p already holds another text", "23000")))).isTrue();
        assertThat(PostgresRefusal.isForContent(new SQLException("ERROR: terminating connection", "57P01"))).isFalse();
    }

    @Test
    void everythingElseIsTransient() {
        // 57P01: the server is shutting down; 53300: too many connections; no SQLSTATE at all: the connection
        assertThat(PostgresRefusal.isForContent(new PgException("terminating connection", "FATAL", "57P01", null))).isFalse();
        assertThat(PostgresRefusal.isForContent(new PgException("too many clients", "FATAL", "53300", null))).isFalse();
        assertThat(PostgresRefusal.isForContent(new IOException("Connection reset"))).isFalse();
    }

    @Test
    void theReasonIsTheInnermostCause() {
        assertThat(PostgresRefusal.reason(new CompletionException(new PgException("duplicate key", "ERROR", "23505", null))))
                .isEqualTo("PgException: ERROR: duplicate key (23505)");
    }
}
