package io.misalignstream.simhash;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Decides batches of candidates against everything accepted so far, by any replica, exactly, under its
 * {@link DuplicateRule}: a candidate is a near-duplicate of the nearest accepted prompt (smallest distance, then
 * smallest id) within its radius that the rule accepts (by similarity, from fingerprint version 2 on).
 *
 * <p>Each replica keeps an in-memory copy of the store's log in a {@link HammingIndex}. For a batch it
 * brings the copy up to date, decides every candidate against the copy and against the batch's own
 * accepted candidates, and commits all decisions in one atomic compare-and-append: accepted only if the
 * log is still the length the decisions were made against and none of the ids was decided before. If
 * another replica appended in between, the replica reads what it appended and decides again; if some ids
 * were decided before (re-deliveries), it decides again with their stored decisions, so a re-delivered
 * prompt gets its original decision back. Decisions are therefore the same as one replica taking the
 * candidates one at a time in commit order.
 *
 * <p>A candidate whose radius is wide (a short text) is looked up by its signature's bands rather than its fingerprint's
 * Hamming buckets once the copy is large ({@link SignatureBands}: exact for the rule, far fewer entries compared).
 *
 * <p>Lookups against the local copy are read-only, so a batch's lookups run on {@code lookupThreads}
 * threads (one per core pays: the index is memory-bound); deciding the batch against itself and
 * committing stay sequential. Thread-safe: batches are decided one at a time.
 */
public final class NearDuplicateIndex implements AutoCloseable {

    private static final int READ_CHUNK = 4 * 1024 * 1024;
    private static final int MAX_ATTEMPTS = 1000;
    /** Below this many candidates a batch is looked up on the calling thread: handing off costs more. */
    private static final int PARALLEL_BATCH = 64;
    /**
     * A lookup probing more Hamming buckets than this searches the signature bands instead: at a million entries the
     * bands cost what the 147 buckets of radius 10 do, and radius 11 probes 225, 12 303, 16 1,019 (with k = 10, every text
     * under 60 characters searches the bands; docs/benchmarks.md).
     */
    private static final int BAND_SEARCH_ABOVE_BUCKETS = 200;
    /**
     * Entries from which a copy searches signature bands: their tables take 16 MB however few entries they hold (an index
     * per domain has many small copies), and below this a lookup within 16 bits compares under 10,000 fingerprints.
     */
    static final int BANDS_FROM_ENTRIES = 1 << 16;

    private final IndexStore store;
    /** The fingerprint version this index decides with; {@code null}: any (tests and batch runs that name their epochs). */
    private final String version;
    private final DuplicateRule rule;
    private final int signatureBytes;
    private final ForkJoinPool lookups;
    /** Whether lookups of wide radii may search signature bands: the rule verifies with a similarity they search exactly. */
    private final boolean bandsExact;
    private final int bandsFromEntries;
    // Written under the lock, read without it by metrics (as are the bands).
    private volatile HammingIndex local;
    /** The local copy's signatures by position, when the rule verifies. */
    private SetSignature.Table signatures;
    /**
     * The local copy's signatures by band, for the lookups of {@link #searchesBands}; {@code null} until the first of
     * them. May lag the copy between such lookups.
     */
    private volatile SignatureBands bands;
    private volatile long examinedByEarlierCopies;
    private volatile long lookupCount;
    private String epoch;
    private long length;
    private volatile long attempts;
    private volatile long commits;

    /** Hamming distance alone (fingerprint version 1). */
    public NearDuplicateIndex(IndexStore store, int threshold) {
        this(store, null, DuplicateRule.hammingOnly(threshold), 1);
    }

    /**
     * @param features the fingerprints' configuration: an index whose epoch names another version is not read (its
     *                 entries have another layout and its fingerprints do not compare); {@code null} reads any epoch
     */
    public NearDuplicateIndex(IndexStore store, FingerprintConfig features, DuplicateRule rule, int lookupThreads) {
        this(store, features, rule, lookupThreads, BANDS_FROM_ENTRIES);
    }

    /** With signature bands from {@code bandsFromEntries} entries on (tests search them with few). */
    NearDuplicateIndex(IndexStore store, FingerprintConfig features, DuplicateRule rule, int lookupThreads, int bandsFromEntries) {
        if (lookupThreads < 1) {
            throw new IllegalArgumentException("lookup threads must be at least 1, was " + lookupThreads);
        }
        this.store = store;
        this.version = features == null ? null : features.version();
        this.rule = rule;
        this.signatureBytes = rule.verified() ? SetSignature.BYTES : 0;
        this.local = new HammingIndex(rule.maxRadius());
        this.signatures = new SetSignature.Table();
        this.bandsExact = rule.verified() && SignatureBands.exactFor(rule.minSimilarity());
        this.bandsFromEntries = bandsFromEntries;
        this.lookups = lookupThreads == 1 ? null : new ForkJoinPool(lookupThreads);
    }

    public int threshold() {
        return rule.threshold();
    }

    public DuplicateRule rule() {
        return rule;
    }

    /** Entries in this replica's copy of the log. */
    public int size() {
        return local.size();
    }

    /** Commit attempts per committed batch above 1 measure contention between replicas. */
    public long commitAttempts() {
        return attempts;
    }

    public long commits() {
        return commits;
    }

    /** Stored entries compared with candidates, over every copy this replica has held. */
    public long candidatesExamined() {
        return examinedByEarlierCopies + candidatesExaminedByThisCopy();
    }

    private long candidatesExaminedByThisCopy() {
        SignatureBands banded = bands; // read once: a new copy may drop them meanwhile
        return local.candidatesExamined() + (banded == null ? 0 : banded.candidatesExamined());
    }

    /**
     * Whether this candidate's lookup searches the signature bands: they are exact for the rule, the copy is large enough
     * for them to pay, and the candidate's radius probes many Hamming buckets.
     */
    private boolean searchesBands(Candidate candidate) {
        return bandsExact && local.size() >= bandsFromEntries && local.bucketsWithin(radius(candidate)) > BAND_SEARCH_ABOVE_BUCKETS;
    }

    /**
     * Brings the bands up to the local copy before a lookup needs them: built at the first such lookup (a stream of long
     * texts never pays for them), then given the entries added since.
     */
    private void bringBandsUpToDate() {
        if (bands == null) {
            bands = new SignatureBands();
        }
        signatures.addEachTo(bands);
    }

    /** Entries in this copy's signature bands; 0 before the first lookup that searched them. */
    int bandedEntries() {
        SignatureBands banded = bands;
        return banded == null ? 0 : banded.size();
    }

    /** Candidates looked up in the local copy; with {@link #candidatesExamined()}, the cost per lookup. */
    public long lookups() {
        return lookupCount;
    }

    /**
     * Decisions in the candidates' order. Ids decided before are not looked up first: the commit finds
     * them (in the same atomic step that checks the log) and the batch is planned again with their stored
     * decisions, so only re-deliveries cost a second round trip.
     */
    public synchronized List<Decision> decide(List<Candidate> candidates) {
        Map<String, String> known = new HashMap<>();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            attempts++;
            if (catchUp()) {
                known.clear(); // decisions of another index generation point at offsets of its log
            }
            Plan plan = plan(candidates, known);
            if (plan.pending.isEmpty()) {
                return plan.decisions;
            }
            IndexStore.CommitResult result = store.commit(epoch, length, plan.pending);
            if (result instanceof IndexStore.CommitResult.Committed committed) {
                for (Pending accepted : plan.accepted) {
                    local.add(accepted.fingerprint, accepted.id, accepted.offset);
                    if (accepted.signature != null) {
                        signatures.add(accepted.signature);
                    }
                }
                length = committed.length();
                commits++;
                return plan.decisions;
            }
            if (result instanceof IndexStore.CommitResult.Lost lost) {
                throw new IndexUnavailableException(lost.reason());
            }
            if (result instanceof IndexStore.CommitResult.AlreadyDecided already) {
                known.putAll(already.decisions());
            }
            // Stale or AlreadyDecided: read what the log gained and decide again.
        }
        // the caller waits and tries again, as for an unavailable index
        throw new IndexUnavailableException("no commit after " + MAX_ATTEMPTS + " attempts: too much contention");
    }

    /**
     * Brings the local copy up to the store's log; starts over if the store's index is a different one.
     *
     * @return whether it started over
     */
    private boolean catchUp() {
        IndexStore.State state = store.state();
        if (state.epoch() == null) {
            throw new IndexUnavailableException("the store holds no index: initialise it (empty pipeline) or rebuild it");
        }
        String storedVersion = versionOf(state.epoch());
        if (version != null && storedVersion != null && !storedVersion.equals(version)) {
            throw new IndexUnavailableException("the index holds " + storedVersion + " fingerprints, not " + version
                    + ": migrate it with misalign dedup rebuild --replace, or keep deciding with features=" + storedVersion);
        }
        boolean startedOver = false;
        if (!state.epoch().equals(epoch) || state.length() < length) {
            examinedByEarlierCopies += candidatesExaminedByThisCopy();
            bands = null;
            local = new HammingIndex(rule.maxRadius());
            signatures = new SetSignature.Table();
            epoch = state.epoch();
            length = 0;
            startedOver = true;
        }
        while (length < state.length()) {
            IndexStore.Chunk chunk = store.read(length, READ_CHUNK);
            if (!epoch.equals(chunk.epoch())) {
                catchUp();
                return true;
            }
            int consumed = LogEntries.decode(chunk.bytes(), length, signatureBytes, (offset, fingerprint, id, bytes, signatureAt) -> {
                local.add(fingerprint, id, offset);
                if (signatureBytes > 0) {
                    signatures.add(bytes, signatureAt);
                }
            });
            if (consumed == 0) {
                throw new IllegalStateException("log entry at " + length + " is longer than " + READ_CHUNK + " bytes");
            }
            length += consumed;
        }
        return startedOver;
    }

    private record Pending(String id, long fingerprint, long offset, byte[] signature) {
    }

    private record Plan(List<Decision> decisions, List<IndexStore.Pending> pending, List<Pending> accepted) {
    }

    private Plan plan(List<Candidate> candidates, Map<String, String> known) {
        HammingIndex.Match[] nearestStored = lookUp(candidates, known);
        List<Decision> decisions = new ArrayList<>(candidates.size());
        List<IndexStore.Pending> pending = new ArrayList<>();
        List<Pending> accepted = new ArrayList<>();
        Map<String, Decision> decided = new HashMap<>();
        Map<String, Long> decidedTexts = new HashMap<>();
        BatchEntries batch = new BatchEntries(rule.maxRadius(), rule.verified());
        long offset = length;
        for (int i = 0; i < candidates.size(); i++) {
            Candidate candidate = candidates.get(i);
            Decision decision = decided.get(candidate.id());
            if (decision != null && !DecisionValue.sameText(decidedTexts.get(candidate.id()), candidate.textDigest())) {
                decisions.add(refused(candidate));
                continue;
            }
            if (decision == null && known.containsKey(candidate.id())) {
                DecisionValue stored = DecisionValue.parse(known.get(candidate.id()));
                if (!stored.boundTo(candidate.textDigest())) {
                    decisions.add(refused(candidate)); // the id keeps its decision; nothing is recorded
                    continue;
                }
                decision = stored(candidate, stored);
            }
            if (decision == null) {
                Long textDigest = rule.verified() && candidate.textDigest() != 0 ? candidate.textDigest() : null;
                byte[] signature = candidate.signature();
                HammingIndex.Match inBatch = batch.nearest(candidate.fingerprint(), radius(candidate),
                        position -> !rule.verified() || batch.similarity(position, signature) >= rule.minSimilarity());
                HammingIndex.Match match = nearer(nearestStored[i], inBatch);
                if (match == null) {
                    byte[] entry = LogEntries.encode(candidate.fingerprint(), candidate.id(), signature);
                    batch.add(candidate.fingerprint(), candidate.id(), offset, signature);
                    accepted.add(new Pending(candidate.id(), candidate.fingerprint(), offset, signature));
                    pending.add(new IndexStore.Pending(candidate.id(), DecisionValue.unique(textDigest), entry));
                    offset += entry.length;
                    decision = new Decision.Unique(candidate.id(), candidate.fingerprint());
                } else {
                    Double similarity = !rule.verified() ? null : DecisionValue.rounded(match == inBatch
                            ? batch.similarity(match.position(), signature) : signatures.similarity(match.position(), signature));
                    pending.add(new IndexStore.Pending(candidate.id(),
                            DecisionValue.duplicate(match.reference(), match.distance(), similarity, textDigest), null));
                    decision = new Decision.Duplicate(candidate.id(), candidate.fingerprint(), match.id(), match.fingerprint(),
                            match.distance(), similarity);
                }
            }
            decided.put(candidate.id(), decision);
            decidedTexts.put(candidate.id(), candidate.textDigest());
            decisions.add(decision);
        }
        return new Plan(decisions, pending, accepted);
    }

    private static Decision refused(Candidate candidate) {
        return new Decision.Refused(candidate.id(), candidate.fingerprint(),
                "prompt id " + candidate.id() + " was decided for another text; an id keeps its first text");
    }

    /** The nearest entry of the local copy for each candidate not decided before, on every lookup thread. */
    private HammingIndex.Match[] lookUp(List<Candidate> candidates, Map<String, String> known) {
        HammingIndex.Match[] nearest = new HammingIndex.Match[candidates.size()];
        boolean[] banded = new boolean[candidates.size()];
        for (int i = 0; i < candidates.size(); i++) {
            banded[i] = !known.containsKey(candidates.get(i).id()) && searchesBands(candidates.get(i));
            if (banded[i] && (bands == null || bands.size() < local.size())) {
                bringBandsUpToDate();
            }
        }
        lookupCount += candidates.stream().filter(candidate -> !known.containsKey(candidate.id())).count();
        IntConsumer lookUp = i -> {
            Candidate candidate = candidates.get(i);
            if (!known.containsKey(candidate.id())) {
                byte[] signature = candidate.signature();
                int radius = radius(candidate);
                IntPredicate alike = position -> !rule.verified() || signatures.similarity(position, signature) >= rule.minSimilarity();
                if (!banded[i]) {
                    nearest[i] = local.nearest(candidate.fingerprint(), radius, alike);
                } else {
                    // a near-copy is settled by one Hamming bucket per block, before the bands' thousand entries
                    HammingIndex.Match nearCopy = local.nearestNearCopy(candidate.fingerprint(), radius, alike);
                    nearest[i] = nearCopy != null ? nearCopy : bands.nearest(local, candidate.fingerprint(), radius, signature, alike);
                }
            }
        };
        if (lookups == null || candidates.size() < PARALLEL_BATCH) {
            IntStream.range(0, candidates.size()).forEach(lookUp);
            return nearest;
        }
        try {
            lookups.submit(() -> IntStream.range(0, candidates.size()).parallel().forEach(lookUp)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking up a batch", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("lookup failed", e.getCause());
        }
        return nearest;
    }

    @Override
    public void close() {
        if (lookups != null) {
            lookups.shutdown();
        }
    }

    private static HammingIndex.Match nearer(HammingIndex.Match a, HammingIndex.Match b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        if (a.distance() != b.distance()) {
            return a.distance() < b.distance() ? a : b;
        }
        return a.id().compareTo(b.id()) <= 0 ? a : b;
    }

    /** The fingerprint version an epoch names ({@code simhash2-char3:...}), or {@code null} when it names none. */
    public static String versionOf(String epoch) {
        int colon = epoch.indexOf(':');
        return colon > 0 && epoch.startsWith("simhash") ? epoch.substring(0, colon) : null;
    }

    /** The candidate's radius; a candidate must carry a signature exactly when the rule verifies. */
    private int radius(Candidate candidate) {
        if (rule.verified() != (candidate.signature() != null)) {
            throw new IllegalArgumentException("candidate " + candidate.id() + (rule.verified()
                    ? " has no signature, which this index's rule verifies with" : " has a signature, which this index's rule does not use"));
        }
        return rule.radius(candidate.normalizedLength());
    }

    private Decision stored(Candidate candidate, DecisionValue decision) {
        if (decision.unique()) {
            return new Decision.Unique(candidate.id(), candidate.fingerprint());
        }
        int position = local.positionOfReference(decision.matchedOffset());
        return new Decision.Duplicate(candidate.id(), candidate.fingerprint(), local.id(position), local.fingerprint(position),
                decision.distance(), decision.similarity());
    }
}
