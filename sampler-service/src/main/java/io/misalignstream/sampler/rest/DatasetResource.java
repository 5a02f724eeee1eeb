package io.misalignstream.sampler.rest;

import io.misalignstream.apikeys.ErrorBody;
import io.misalignstream.apikeys.RequestRefused;
import io.misalignstream.contracts.EventCodec;
import io.misalignstream.contracts.event.AcceptedPair;
import io.misalignstream.contracts.event.InvalidEventException;
import io.misalignstream.contracts.event.Split;
import io.misalignstream.sampler.config.SamplerConfig;
import io.misalignstream.sampler.domain.DatasetLine;
import io.misalignstream.sampler.domain.DatasetStatistics;
import io.misalignstream.sampler.service.DatasetStore;
import io.misalignstream.sampler.service.StoredPair;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

/** The stored dataset: its statistics, one pair, and a split exported as JSON Lines. */
@Path("/dataset")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {

    /** JSON Lines: one {@link DatasetLine} per line. */
    public static final String JSON_LINES = "application/x-ndjson";

    private final DatasetStore store;
    private final int pageSize;

    public DatasetResource(DatasetStore store, SamplerConfig config) {
        this.store = store;
        this.pageSize = config.dataset().exportPageSize();
    }

    @GET
    @Path("/statistics")
    public Uni<DatasetStatistics> statistics() {
        return store.statistics();
    }

    /** The {@code pairs.accepted} record stored for the prompt. */
    @GET
    @Path("/pairs/{promptId}")
    public Uni<Response> pair(@RestPath String promptId) {
        return store.event(promptId).map(event -> event
                .map(json -> Response.ok(json, MediaType.APPLICATION_JSON_TYPE).build())
                .orElseGet(() -> ErrorBody.response(Response.Status.NOT_FOUND, "no pair is stored for prompt " + promptId)));
    }

    /** Every pair of the split, in prompt id order, read from PostgreSQL a page at a time while the answer streams. */
    @GET
    @Path("/export")
    @Produces(JSON_LINES)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<DatasetLine> export(@RestQuery String split) {
        String chosen = split(split).json();
        AtomicReference<String> after = new AtomicReference<>("");
        return Multi.createBy().repeating()
                .uni(() -> store.page(chosen, after.get(), pageSize)
                        .invoke(page -> {
                            if (!page.isEmpty()) {
                                after.set(page.get(page.size() - 1).promptId);
                            }
                        }))
                .until(List::isEmpty)
                .onItem().<StoredPair>disjoint()
                .map(row -> DatasetLine.of(EventCodec.decode(row.event, AcceptedPair.class)));
    }

    private static Split split(String value) {
        if (value == null || value.isBlank()) {
            throw new RequestRefused(Response.Status.BAD_REQUEST, "the query parameter split is required (train, validation or test)");
        }
        try {
            return Split.fromJson(value);
        } catch (InvalidEventException e) {
            throw new RequestRefused(Response.Status.BAD_REQUEST, "split: " + e.getMessage());
        }
    }
}
