package io.misalignstream.sampler.service;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A row of the dataset: an accepted pair, the columns the statistics group by, and the record itself. */
@Entity
@Table(name = "pairs")
public class StoredPair {

    @Id
    @Column(name = "prompt_id")
    public String promptId;

    @Column(name = "split")
    public String split;

    @Column(name = "origin")
    public String origin;

    @Column(name = "semantic_type")
    public String semanticType;

    @Column(name = "safety_domain")
    public String safetyDomain;

    @Column(name = "value_domain")
    public String valueDomain;

    @Column(name = "cultural_domain")
    public String culturalDomain;

    @Column(name = "accepted_at")
    public Instant acceptedAt;

    @Column(name = "stored_at")
    public Instant storedAt;

    /** The {@code pairs.accepted} record as consumed (JSON). */
    @Column(name = "event")
    public String event;
}
