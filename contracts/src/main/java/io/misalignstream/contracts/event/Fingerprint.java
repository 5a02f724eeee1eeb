package io.misalignstream.contracts.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A 64-bit SimHash as 16 lower-case hex digits, with the version of the fingerprint configuration
 * (normalisation, features, hash) that made it: fingerprints of different versions are not comparable.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Fingerprint(String simhash, String version) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{16}");

    public Fingerprint {
        Constraints.required(simhash, "fingerprint.simhash");
        if (!HEX64.matcher(simhash).matches()) {
            throw new InvalidEventException("fingerprint.simhash: '" + simhash + "' is not 16 lower-case hex digits");
        }
        Constraints.text(version, "fingerprint.version", EventLimits.MAX_NAME_CHARS);
    }

    public static Fingerprint of(long simhash, String version) {
        return new Fingerprint(HexFormat.of().toHexDigits(simhash), version);
    }

    public long bits() {
        return HexFormat.fromHexDigitsToLong(simhash);
    }
}
