package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;

/**
 * Value of every {@code <topic>.dlq}: a record its consumer could not process, the reason, and the
 * original payload (UTF-8 text, or base64 when it was not valid UTF-8), so that it can be replayed.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeadLetter(int schemaVersion, String sourceTopic, int partition, long offset, String key,
                         String service, String reason, String errorType, String payload,
                         String payloadEncoding, boolean payloadTruncated, Instant failedAt) {

    public static final String UTF8 = "utf-8";
    public static final String BASE64 = "base64";

    public DeadLetter {
        Constraints.schemaVersion(schemaVersion);
        Constraints.text(sourceTopic, "sourceTopic", EventLimits.MAX_NAME_CHARS);
        Constraints.text(service, "service", EventLimits.MAX_NAME_CHARS);
        Constraints.text(reason, "reason", EventLimits.MAX_REASON_CHARS);
        if (payload != null && !UTF8.equals(payloadEncoding) && !BASE64.equals(payloadEncoding)) {
            throw new InvalidEventException("payloadEncoding: must be " + UTF8 + " or " + BASE64);
        }
        Constraints.required(failedAt, "failedAt");
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Wraps a failed record; the reason is cut to the limit rather than failing the dead-lettering itself. */
    public static DeadLetter of(String sourceTopic, int partition, long offset, String key, String service,
                                String reason, Throwable error, byte[] payload, Instant failedAt) {
        String why = reason == null || reason.isBlank() ? "unknown failure" : reason;
        if (why.length() > EventLimits.MAX_REASON_CHARS) {
            why = why.substring(0, EventLimits.MAX_REASON_CHARS - 3) + "...";
        }
        // a reason may quote the record (or be cut inside a surrogate pair): it must never stop the dead-lettering
        why = EncodableText.repaired(why);
        String text = null;
        String encoding = null;
        boolean truncated = false;
        if (payload != null) {
            text = payload.length <= EventLimits.MAX_DEAD_LETTER_TEXT_BYTES ? strictUtf8(payload) : null;
            encoding = UTF8;
            if (text == null) {
                // Invalid UTF-8, or large enough that JSON escaping could push the dead letter past Kafka's limit.
                truncated = payload.length > EventLimits.MAX_DEAD_LETTER_PAYLOAD_BYTES;
                byte[] kept = truncated ? java.util.Arrays.copyOf(payload, EventLimits.MAX_DEAD_LETTER_PAYLOAD_BYTES) : payload;
                text = Base64.getEncoder().encodeToString(kept);
                encoding = BASE64;
            }
        }
        return new DeadLetter(EventLimits.SCHEMA_VERSION, sourceTopic, partition, offset, key, service, why,
                error == null ? null : error.getClass().getName(), text, encoding, truncated, failedAt);
    }
}
