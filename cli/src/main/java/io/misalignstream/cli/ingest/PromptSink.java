package io.misalignstream.cli.ingest;

import io.misalignstream.contracts.event.IngestedPrompt;
import java.util.function.Consumer;

/** Where ingested prompts go; sending is asynchronous and a failed send is reported, never lost. */
public interface PromptSink extends AutoCloseable {

    void send(IngestedPrompt prompt, Runnable onSuccess, Consumer<Exception> onFailure);

    /** Blocks until every send so far has succeeded or failed. */
    void flush();

    @Override
    void close();
}
