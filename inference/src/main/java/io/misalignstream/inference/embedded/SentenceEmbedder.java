package io.misalignstream.inference.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed set of embedding sessions shared by concurrent callers: each call borrows a session, so at most
 * {@link #sessions()} embeddings run at once, each on its caller's thread.
 */
public final class SentenceEmbedder implements AutoCloseable {

    private final List<MiniLmSession> all;
    private final BlockingQueue<MiniLmSession> idle;

    /** @param sessions how many embeddings may run at once; one per core is the sweet spot */
    public SentenceEmbedder(int sessions) {
        if (sessions < 1) {
            throw new IllegalArgumentException("sessions: at least 1");
        }
        this.all = new ArrayList<>(sessions);
        this.idle = new ArrayBlockingQueue<>(sessions);
        for (int i = 0; i < sessions; i++) {
            MiniLmSession session = new MiniLmSession();
            all.add(session);
            idle.add(session);
        }
    }

    public String modelName() {
        return MiniLmSession.MODEL_NAME;
    }

    public int sessions() {
        return all.size();
    }

    /** The unit-length embedding of the text; waits for a free session. */
    public float[] embed(String text) {
        MiniLmSession session;
        try {
            session = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an embedding session", e);
        }
        try {
            return session.vector(text);
        } finally {
            idle.add(session);
        }
    }

    @Override
    public void close() {
        all.forEach(MiniLmSession::close);
    }
}
