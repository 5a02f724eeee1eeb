package io.misalignstream.simhash;

import java.util.HexFormat;

/**
 * A decision as the store records it against the id: {@code u} for accepted, {@code d<offset>:<distance>} for a
 * near-duplicate of the log entry at that offset. A verified index adds the similarity in thousandths and the
 * digest of the decided text ({@code u:<digest>}, {@code d<offset>:<distance>:<similarity>:<digest>}; the similarity
 * is empty for a decision of fingerprint version 1 migrated by a rebuild), so that the id stays bound to its text.
 *
 * @param textDigest the digest of the text the id was decided for; {@code null} when not recorded
 */
record DecisionValue(boolean unique, long matchedOffset, int distance, Double similarity, Long textDigest) {

    static final String UNIQUE = "u";

    static String unique(Long textDigest) {
        return textDigest == null ? UNIQUE : UNIQUE + ":" + HexFormat.of().toHexDigits(textDigest);
    }

    static String duplicate(long matchedOffset, int distance, Double similarity, Long textDigest) {
        String value = "d" + matchedOffset + ":" + distance;
        if (similarity == null && textDigest == null) {
            return value;
        }
        value += ":" + (similarity == null ? "" : Math.round(similarity * 1000));
        return textDigest == null ? value : value + ":" + HexFormat.of().toHexDigits(textDigest);
    }

    /** To the thousandth the store keeps, so a re-delivered id gets back exactly what it got the first time. */
    static double rounded(double similarity) {
        return Math.round(similarity * 1000) / 1000.0;
    }

    static DecisionValue parse(String value) {
        if (value.startsWith(UNIQUE)) {
            Long digest = value.length() > 2 ? HexFormat.fromHexDigitsToLong(value.substring(2)) : null;
            return new DecisionValue(true, -1, 0, null, digest);
        }
        String[] parts = value.substring(1).split(":", -1);
        Double similarity = parts.length > 2 && !parts[2].isEmpty() ? Integer.parseInt(parts[2]) / 1000.0 : null;
        Long digest = parts.length > 3 ? HexFormat.fromHexDigitsToLong(parts[3]) : null;
        return new DecisionValue(false, Long.parseLong(parts[0]), Integer.parseInt(parts[1]), similarity, digest);
    }

    /** Whether a candidate with this text digest (0: unknown) may take this decision: it was decided for that text. */
    boolean boundTo(long candidateDigest) {
        return sameText(textDigest, candidateDigest);
    }

    /**
     * The rule that binds an id to its text, for a decision recorded in the store or made earlier in the same batch: a
     * text with {@code candidateDigest} (0: unknown) may take a decision made for {@code decidedDigest} (null or 0: not
     * recorded) unless both are known and differ.
     */
    static boolean sameText(Long decidedDigest, long candidateDigest) {
        return decidedDigest == null || decidedDigest == 0 || candidateDigest == 0 || decidedDigest == candidateDigest;
    }
}
