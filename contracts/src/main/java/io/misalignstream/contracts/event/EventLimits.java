package io.misalignstream.contracts.event;

/** Size limits every producer and consumer agrees on. */
public final class EventLimits {

    /** Current schema version of every record; readers accept this version and older ones. */
    public static final int SCHEMA_VERSION = 1;

    public static final int MAX_ID_CHARS = 128;
    /**
     * Real prompt corpora hold long system prompts (over 140,000 characters in awesome-chatgpt-prompts);
     * 200,000 characters keeps even a 3-byte-per-character script under Kafka's default 1 MiB record size.
     */
    public static final int MAX_PROMPT_CHARS = 200_000;
    public static final int MAX_RESPONSE_CHARS = 16_000;
    public static final int MAX_NAME_CHARS = 256;
    public static final int MAX_REASON_CHARS = 4_000;
    /** Judge verdicts one response of a pair carries at most. */
    public static final int MAX_VERDICTS = 16;
    public static final int MAX_PARENT_IDS = 64;
    public static final int MAX_METADATA_ENTRIES = 64;
    public static final int MAX_METADATA_KEY_CHARS = 128;
    /** Total characters of all metadata keys and string values, nested ones included. */
    public static final int MAX_METADATA_CHARS = 32_000;
    public static final int MAX_METADATA_DEPTH = 4;
    /**
     * A dead letter carries the failed payload as UTF-8 text up to this many bytes (JSON escaping can
     * grow text up to six times), else as base64.
     */
    public static final int MAX_DEAD_LETTER_TEXT_BYTES = 128 * 1024;
    /** Larger payloads are cut to this many bytes (base64: 4/3 of it) and marked as truncated, so the dead letter stays under 1 MiB. */
    public static final int MAX_DEAD_LETTER_PAYLOAD_BYTES = 512 * 1024;

    private EventLimits() {
    }
}
