package io.misalignstream.contracts.event;

/** A record of a prompt topic: it carries a prompt and is keyed by the prompt's id. */
public interface PromptEvent {

    int schemaVersion();

    Prompt prompt();

    default String key() {
        return prompt().id();
    }
}
