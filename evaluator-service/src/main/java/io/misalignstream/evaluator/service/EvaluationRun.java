package io.misalignstream.evaluator.service;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A run: targets x the pairs of a split x repeats; the streaming mode is the run {@value #STREAMING}. */
@Entity
@Table(name = "evaluation_runs")
public class EvaluationRun {

    public static final String STREAMING = "streaming";

    /** Where a run stands. */
    public enum State {
        RUNNING, FINISHED, STREAMING
    }

    @Id
    @Column(name = "run_id")
    public String runId;

    /** Null for the streaming run, which takes every split. */
    @Column(name = "split")
    public String split;

    /** Comma-separated target names. */
    @Column(name = "targets")
    public String targets;

    @Column(name = "repeats")
    public int repeats;

    @Column(name = "state")
    public String state;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public List<String> targetNames() {
        return Arrays.stream(targets.split(",")).filter(name -> !name.isBlank()).toList();
    }

    public State stateValue() {
        return State.valueOf(state);
    }
}
