package io.misalignstream.messaging;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A batch written in one transaction and, when the store refuses it for what one of its items holds, written again item
 * by item, so that only the culprits are refused (each with the store's failure) and the others stored. The
 * transaction itself waits out a store that is unavailable (for example through {@link RetryOnContext}); a refusal for
 * content is never tried again as it was.
 */
public final class TransactionSplit {

    /** An item the store refused for its content, with the store's failure. */
    public record Refused<T>(T item, Throwable error) {
    }

    private TransactionSplit() {
    }

    /**
     * @param transaction       writes a list of items in one transaction
     * @param refusedForContent which failures of a transaction are the content's fault
     * @return the refused items, none when the whole batch was stored
     */
    public static <T> Uni<List<Refused<T>>> write(List<T> items, Function<List<T>, Uni<?>> transaction, Predicate<Throwable> refusedForContent) {
        if (items.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return transaction.apply(items)
                .map(written -> List.<Refused<T>>of())
                .onFailure(refusedForContent).recoverWithUni(refused -> items.size() == 1
                        ? Uni.createFrom().item(List.of(new Refused<>(items.get(0), refused)))
                        : Multi.createFrom().iterable(items)
                                .onItem().transformToUniAndConcatenate(item -> write(List.of(item), transaction, refusedForContent))
                                .collect().in(ArrayList<Refused<T>>::new, List::addAll)
                                .map(all -> (List<Refused<T>>) all));
    }
}
