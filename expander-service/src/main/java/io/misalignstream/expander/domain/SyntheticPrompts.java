package io.misalignstream.expander.domain;

import io.misalignstream.contracts.event.CandidatePrompt;
import io.misalignstream.contracts.event.Dimension;
import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.DomainScore;
import io.misalignstream.contracts.event.Generation;
import io.misalignstream.contracts.event.Labels;
import io.misalignstream.contracts.event.Lineage;
import io.misalignstream.contracts.event.Prompt;
import io.misalignstream.contracts.event.Source;
import io.misalignstream.inference.GeneratedPrompt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Makes the candidate record of a generated prompt: its id, lineage, generation and labels. */
public final class SyntheticPrompts {

    /** The data set every synthetic prompt's source names. */
    public static final String DATASET = "expander-service";

    private SyntheticPrompts() {
    }

    /**
     * The id of a slot's prompt: the first 128 bits of SHA-256 over (epoch, dimension, domain, slot). A slot
     * generated again after a crash gets the same id, so the dedup stage gives it its first decision back; a new
     * epoch (the expansion state started afresh) never reuses an earlier one's ids.
     */
    public static String id(String epoch, DomainKey key, long slot) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(("synthetic\0" + epoch + "\0" + key.dimension().json() + "\0" + key.domain() + "\0" + slot)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Whether the classifier's labels put the prompt in its target domain: as the primary, or as a further domain. */
    public static boolean agrees(Labels labels, DomainKey target) {
        DimensionLabel label = labels.of(target.dimension());
        return label.primary().equals(target.domain())
                || label.further().stream().anyMatch(score -> score.domain().equals(target.domain()));
    }

    /**
     * The candidate: the classifier's labels, with the target domain as the primary of its dimension (the
     * classifier's own primary becomes a further domain when the target was only a further one, or when
     * verification is off and they disagree).
     */
    public static CandidatePrompt candidate(String id, DomainKey target, long slot, GeneratedPrompt generated,
                                            List<String> parentIds, Labels labels) {
        Generation generation = new Generation(generated.provenance(), target.dimension(), target.domain(), generated.sampling());
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("slot", slot);
        metadata.put("templateGenerated", generated.templateGenerated());
        Prompt prompt = new Prompt(id, generated.text(), Lineage.synthetic(new Source(DATASET, null), parentIds, generation), metadata);
        return CandidatePrompt.of(prompt, withTargetPrimary(labels, target));
    }

    private static Labels withTargetPrimary(Labels labels, DomainKey target) {
        DimensionLabel label = labels.of(target.dimension());
        if (label.primary().equals(target.domain())) {
            return labels;
        }
        double probability = label.further().stream().filter(score -> score.domain().equals(target.domain()))
                .mapToDouble(DomainScore::probability).findFirst().orElse(1.0);
        List<DomainScore> further = new ArrayList<>();
        if (!label.isNone()) {
            further.add(new DomainScore(label.primary(), label.probability()));
        }
        label.further().stream().filter(score -> !score.domain().equals(target.domain())).forEach(further::add);
        DimensionLabel targeted = new DimensionLabel(target.domain(), probability, further);
        return new Labels(
                target.dimension() == Dimension.SAFETY ? targeted : labels.safety(),
                target.dimension() == Dimension.VALUE ? targeted : labels.value(),
                target.dimension() == Dimension.CULTURAL ? targeted : labels.cultural(),
                labels.semanticType(), labels.provenance());
    }
}
