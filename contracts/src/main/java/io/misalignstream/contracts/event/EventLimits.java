package io.misalignstream.contracts.event;

/** Size limits every producer and consumer agrees on. */
public final class EventLimits {

    /** Current schema version of every record; readers accept this version and older ones. */
    public static final int SCHEMA_VERSION = 1;

    public static final int MAX_ID_CHARS = 128;
    /**
     * Real prompt corpora hold long system prompts (over 140,000 characters in awesome-chatgpt-prompts). The record's
     * encoded size is bounded on its own ({@link #MAX_INGESTED_BYTES}): escapes can take six bytes a character.
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
    /**
     * The metadata as encoded JSON, in bytes: its structure counts, so a list of empty objects weighs what it takes on
     * the wire, and escaped characters what their escapes take.
     */
    public static final int MAX_METADATA_BYTES = 64 * 1024;
    public static final int MAX_METADATA_DEPTH = 4;
    /**
     * A dead letter carries the failed payload as UTF-8 text up to this many bytes (JSON escaping can
     * grow text up to six times), else as base64.
     */
    public static final int MAX_DEAD_LETTER_TEXT_BYTES = 128 * 1024;
    /** Larger payloads are cut to this many bytes (base64: 4/3 of it) and marked as truncated, so the dead letter stays under {@link #MAX_RECORD_BYTES}. */
    public static final int MAX_DEAD_LETTER_PAYLOAD_BYTES = 512 * 1024;

    /**
     * The largest record value any stage publishes, in bytes as encoded. Every producer's {@code max.request.size} and
     * the broker's {@code message.max.bytes} are {@link #KAFKA_MAX_MESSAGE_BYTES}, derived from it; every record is
     * checked against it before it is sent ({@code messaging.KafkaOutput}), and an input whose output would be larger is
     * dead-lettered with the reason.
     */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;
    /**
     * The largest ingested record ({@code prompts.ingested}), in bytes as encoded: the front door and {@code misalign
     * ingest} refuse a larger prompt. The rest of {@link #MAX_RECORD_BYTES} is the headroom for what the stages add on
     * the way (labels, lineage, two responses and their verdicts, about 40 KiB in the largest pairs seen).
     */
    public static final int MAX_INGESTED_BYTES = 768 * 1024;
    /**
     * The producers' {@code max.request.size} and the broker's {@code message.max.bytes}: a record of
     * {@link #MAX_RECORD_BYTES} with its key, headers and Kafka's framing (under 1 KiB) alone in its batch.
     */
    public static final int KAFKA_MAX_MESSAGE_BYTES = MAX_RECORD_BYTES + 64 * 1024;

    private EventLimits() {
    }
}
