package io.misalignstream.sampler.domain;

import com.dynatrace.hash4j.hashing.Hashing;
import io.misalignstream.contracts.event.Split;
import java.nio.charset.StandardCharsets;

/** The split of a pair, from its prompt id alone: the same prompt lands in the same split on every run and replica. */
public final class Splits {

    private Splits() {
    }

    /** Train, validation or test with probabilities 0.8, 0.1 and 0.1 over prompt ids. */
    public static Split of(String promptId) {
        long bucket = Long.remainderUnsigned(Hashing.xxh3_64().hashBytesToLong(promptId.getBytes(StandardCharsets.UTF_8)), 10);
        if (bucket < 8) {
            return Split.TRAIN;
        }
        return bucket == 8 ? Split.VALIDATION : Split.TEST;
    }
}
