package io.misalignstream.simhash;

/**
 * A decision as the store records it against the id: {@code u} for accepted, {@code d<offset>:<distance>} for a
 * near-duplicate of the log entry at that offset, followed by {@code :<similarity in thousandths>} when verified.
 */
record DecisionValue(boolean unique, long matchedOffset, int distance, Double similarity) {

    static final String UNIQUE = "u";

    static String duplicate(long matchedOffset, int distance, Double similarity) {
        String value = "d" + matchedOffset + ":" + distance;
        return similarity == null ? value : value + ":" + Math.round(similarity * 1000);
    }

    /** To the thousandth the store keeps, so a re-delivered id gets back exactly what it got the first time. */
    static double rounded(double similarity) {
        return Math.round(similarity * 1000) / 1000.0;
    }

    static DecisionValue parse(String value) {
        if (value.equals(UNIQUE)) {
            return new DecisionValue(true, -1, 0, null);
        }
        String[] parts = value.substring(1).split(":");
        Double similarity = parts.length > 2 ? Integer.parseInt(parts[2]) / 1000.0 : null;
        return new DecisionValue(false, Long.parseLong(parts[0]), Integer.parseInt(parts[1]), similarity);
    }
}
