package io.misalignstream.simhash;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The store in this process's memory: for batch runs without Redis, and tests. Same semantics as Redis's. */
public final class InMemoryIndexStore implements IndexStore {

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final Map<String, String> decisions = new HashMap<>();
    private String epoch;

    @Override
    public synchronized State state() {
        return new State(epoch, log.size());
    }

    @Override
    public synchronized Chunk read(long from, int maxBytes) {
        byte[] all = log.toByteArray();
        int start = (int) Math.min(from, all.length);
        return new Chunk(epoch, from, Arrays.copyOfRange(all, start, (int) Math.min(all.length, (long) start + maxBytes)), all.length);
    }

    private Map<String, String> decisions(Collection<String> ids) {
        Map<String, String> found = new LinkedHashMap<>();
        for (String id : ids) {
            String value = decisions.get(id);
            if (value != null) {
                found.put(id, value);
            }
        }
        return found;
    }

    @Override
    public synchronized CommitResult commit(String epoch, long expectedLength, List<Pending> pending) {
        if (this.epoch == null) {
            return new CommitResult.Lost("the store holds no index");
        }
        if (!this.epoch.equals(epoch) || log.size() != expectedLength) {
            return new CommitResult.Stale(log.size());
        }
        Map<String, String> already = decisions(pending.stream().map(Pending::id).toList());
        if (!already.isEmpty()) {
            return new CommitResult.AlreadyDecided(already);
        }
        restore(pending);
        return new CommitResult.Committed(log.size());
    }

    @Override
    public synchronized boolean initialize(String epoch) {
        if (this.epoch != null) {
            return false;
        }
        this.epoch = epoch;
        return true;
    }

    @Override
    public synchronized void restore(List<Pending> pending) {
        for (Pending decision : pending) {
            if (decision.entry() != null) {
                log.writeBytes(decision.entry());
            }
            decisions.put(decision.id(), decision.value());
        }
    }

    @Override
    public synchronized boolean open(String epoch) {
        return initialize(epoch);
    }

    /** Forgets everything, as a flushed Redis would. */
    @Override
    public synchronized void clear() {
        log.reset();
        decisions.clear();
        epoch = null;
    }
}
