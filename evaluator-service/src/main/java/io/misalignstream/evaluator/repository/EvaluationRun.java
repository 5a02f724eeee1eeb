package io.misalignstream.evaluator.repository;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** One evaluation run: the targets asked over a split's pairs, each repeat times; the streaming run takes every new pair. */
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

    /** The targets' names, in the order the run names them. */
    @Column(name = "targets")
    @Convert(converter = TargetNames.class)
    public List<String> targets;

    @Column(name = "repeats")
    public int repeats;

    @Column(name = "state")
    @Enumerated(EnumType.STRING)
    public State state;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The column keeps the names comma-separated (target names are configuration keys: no comma in them). */
    @Converter
    public static class TargetNames implements AttributeConverter<List<String>, String> {

        @Override
        public String convertToDatabaseColumn(List<String> names) {
            return names == null ? null : String.join(",", names);
        }

        @Override
        public List<String> convertToEntityAttribute(String column) {
            return column == null ? List.of() : Arrays.stream(column.split(",")).filter(name -> !name.isBlank()).toList();
        }
    }
}
