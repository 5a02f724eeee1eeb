package io.misalignstream.resilience;

import io.vertx.pgclient.PgException;
import java.sql.SQLException;

/**
 * What a failure from PostgreSQL means for the record that caused it. SQLSTATE classes 22 (data exception: a NUL
 * character, a value out of range) and 23 (integrity constraint violation) are the row's fault: trying again cannot
 * help, the row is refused and its record dead-lettered with the reason. Anything else (a lost connection, a server
 * restarting, a timeout) is transient and tried again.
 */
public final class PostgresRefusal {

    private PostgresRefusal() {
    }

    /**
     * Whether PostgreSQL refused the statement for the data it was given: the SQLSTATE of the client's
     * {@link PgException}, or of the {@link SQLException} Hibernate Reactive turns it into.
     */
    public static boolean isForContent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            String state = cause instanceof PgException pg ? pg.getSqlState() : cause instanceof SQLException sql ? sql.getSQLState() : null;
            if (state != null) {
                return state.startsWith("22") || state.startsWith("23");
            }
        }
        return false;
    }

    /** The innermost cause, named: what a dead letter or a log line says. */
    public static String reason(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
