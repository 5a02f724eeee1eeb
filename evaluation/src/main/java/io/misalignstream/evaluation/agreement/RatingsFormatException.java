package io.misalignstream.evaluation.agreement;

import java.util.List;
import java.util.stream.Collectors;

/** A ratings table (or a table of gold labels) that cannot be read, with every problem found and the line it is on. */
public final class RatingsFormatException extends IllegalArgumentException {

    /** Problems shown in the message; {@link #problems()} has them all. */
    private static final int SHOWN = 20;

    /**
     * One problem of a ratings table.
     *
     * @param line    1-based line of the input the problem is on (where the record starts, for quoted line breaks)
     * @param message what is wrong there
     */
    public record Problem(int line, String message) {

        @Override
        public String toString() {
            return "line " + line + ": " + message;
        }
    }

    private final transient List<Problem> problems;

    public RatingsFormatException(List<Problem> problems) {
        this("ratings table", problems);
    }

    /** @param table what was read, for the message: {@code "ratings table"}, {@code "gold labels"} */
    public RatingsFormatException(String table, List<Problem> problems) {
        super(describe(table, problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String describe(String table, List<Problem> problems) {
        String shown = problems.stream().limit(SHOWN).map(Problem::toString).collect(Collectors.joining("; "));
        String more = problems.size() > SHOWN ? "; and " + (problems.size() - SHOWN) + " more" : "";
        return table + ": " + problems.size() + (problems.size() == 1 ? " problem: " : " problems: ") + shown + more;
    }
}
