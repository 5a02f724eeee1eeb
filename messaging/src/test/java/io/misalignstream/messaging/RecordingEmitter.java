package io.misalignstream.messaging;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/** An emitter that keeps what it was sent and acknowledges it, or refuses the next sends it is told to refuse. */
final class RecordingEmitter implements Emitter<byte[]> {

    private final List<byte[]> acknowledged = new ArrayList<>();
    private final Deque<Exception> refusals = new ArrayDeque<>();
    private int sends;

    /** The next {@code count} sends are refused (nacked) with the failure. */
    void refuseNext(int count, Exception failure) {
        for (int i = 0; i < count; i++) {
            refusals.add(failure);
        }
    }

    synchronized List<byte[]> acknowledged() {
        return List.copyOf(acknowledged);
    }

    synchronized int sends() {
        return sends;
    }

    @Override
    public synchronized <M extends Message<? extends byte[]>> void send(M message) {
        sends++;
        Exception refusal = refusals.poll();
        if (refusal != null) {
            message.nack(refusal);
        } else {
            acknowledged.add(message.getPayload());
            message.ack();
        }
    }

    @Override
    public CompletionStage<Void> send(byte[] payload) {
        send(Message.of(payload));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void complete() {
    }

    @Override
    public void error(Exception e) {
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public boolean hasRequests() {
        return true;
    }
}
