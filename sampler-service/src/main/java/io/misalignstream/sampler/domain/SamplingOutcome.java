package io.misalignstream.sampler.domain;

import io.misalignstream.contracts.event.PolarityRejection;
import java.util.List;

/** What rejection sampling made of one prompt: a pair, or the reasons per polarity why there is none. */
public sealed interface SamplingOutcome {

    record Accepted(ChosenResponse aligned, ChosenResponse misaligned) implements SamplingOutcome {
    }

    record Rejected(List<PolarityRejection> rejections) implements SamplingOutcome {

        public Rejected {
            rejections = List.copyOf(rejections);
        }
    }
}
