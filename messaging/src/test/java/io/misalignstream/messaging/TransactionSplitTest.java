package io.misalignstream.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionSplitTest {

    /** Refuses any transaction holding a "spoilt" item, for its content; stores the rest. */
    private static final class Store {
        final List<List<String>> transactions = new ArrayList<>();
        final List<String> stored = new ArrayList<>();

        Uni<Void> write(List<String> items) {
            transactions.add(List.copyOf(items));
            if (items.stream().anyMatch(item -> item.startsWith("spoilt"))) {
                return Uni.createFrom().failure(new ContentRefused("refused: " + items));
            }
            stored.addAll(items);
            return Uni.createFrom().voidItem();
        }
    }

    private static final class ContentRefused extends RuntimeException {
        ContentRefused(String message) {
            super(message);
        }
    }

    @Test
    void aBatchTheStoreTakesIsOneTransaction() {
        Store store = new Store();

        List<TransactionSplit.Refused<String>> refused = TransactionSplit.write(List.of("a", "b", "c"), store::write,
                ContentRefused.class::isInstance).await().indefinitely();

        assertThat(refused).isEmpty();
        assertThat(store.transactions).containsExactly(List.of("a", "b", "c"));
    }

    @Test
    void aBatchRefusedForOneItemIsWrittenItemByItemAndOnlyTheCulpritsAreRefused() {
        Store store = new Store();

        List<TransactionSplit.Refused<String>> refused = TransactionSplit.write(List.of("a", "spoilt-1", "b", "spoilt-2"), store::write,
                ContentRefused.class::isInstance).await().indefinitely();

        assertThat(refused).extracting(TransactionSplit.Refused::item).containsExactly("spoilt-1", "spoilt-2");
        assertThat(refused).allSatisfy(one -> assertThat(one.error()).isInstanceOf(ContentRefused.class));
        assertThat(store.stored).containsExactly("a", "b");
    }

    @Test
    void anyOtherFailureIsTheTransactionsAndNotSplit() {
        Store store = new Store();

        assertThatThrownBy(() -> TransactionSplit.write(List.of("a", "spoilt"), items -> store.write(items)
                .onFailure().transform(IllegalStateException::new), ContentRefused.class::isInstance).await().indefinitely())
                .isInstanceOf(IllegalStateException.class);

        assertThat(store.transactions).hasSize(1);
        assertThat(store.stored).isEmpty();
    }
}
