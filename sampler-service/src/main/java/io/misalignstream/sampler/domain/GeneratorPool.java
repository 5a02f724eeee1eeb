package io.misalignstream.sampler.domain;

import io.misalignstream.contracts.event.Polarity;
import io.misalignstream.inference.ResponseGenerator;
import io.misalignstream.inference.ResponseJudge;
import com.dynatrace.hash4j.hashing.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The models that write responses, each with a weight. Which one writes a candidate follows from the prompt id,
 * the polarity and the candidate number alone, so a replay after a crash asks the same model the same thing and
 * is answered from the request cache; over many prompts each model writes its weight's share.
 */
public final class GeneratorPool {

    /** A generator and how many shares of the candidates it writes. */
    public record Member(ResponseGenerator generator, int weight) {

        public Member {
            Objects.requireNonNull(generator, "generator");
            if (weight < 1) {
                throw new IllegalArgumentException("weight of " + generator.model() + ": at least 1");
            }
        }
    }

    private final List<Member> members;
    private final int totalWeight;

    /**
     * @throws IllegalArgumentException when the pool is empty or the judge's model is one of the generators': a model
     *         judging its own responses would wave its failure patterns through
     */
    public GeneratorPool(List<Member> members, ResponseJudge judge) {
        this.members = List.copyOf(members);
        if (this.members.isEmpty()) {
            throw new IllegalArgumentException("the generator pool is empty: configure at least one generator");
        }
        for (Member member : this.members) {
            if (member.generator().model().equalsIgnoreCase(judge.model())) {
                throw new IllegalArgumentException("the judge's model '" + judge.model() + "' is also in the generator pool;"
                        + " a model must not judge its own responses: choose another judge or remove it from the pool");
            }
        }
        this.totalWeight = this.members.stream().mapToInt(Member::weight).sum();
    }

    public ResponseGenerator choose(String promptId, Polarity polarity, int candidate) {
        byte[] key = (promptId + '\n' + polarity.json() + '\n' + candidate).getBytes(StandardCharsets.UTF_8);
        long point = Long.remainderUnsigned(Hashing.xxh3_64().hashBytesToLong(key), totalWeight);
        for (Member member : members) {
            point -= member.weight();
            if (point < 0) {
                return member.generator();
            }
        }
        throw new IllegalStateException("unreachable: the point is below the total weight");
    }

    public List<Member> members() {
        return members;
    }
}
