package io.misalignstream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.misalignstream.contracts.event.DimensionLabel;
import io.misalignstream.contracts.event.Polarity;
import io.misalignstream.contracts.taxonomy.Domain;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelledDomainsTest {

    @Test
    void everyDimensionsPrimaryThenFurtherDomainsNoneLeftOut() {
        List<Domain> domains = LabelledDomains.of(TestLabels.of(TestLabels.label("privacy_violation", "self_harm", "none"),
                DimensionLabel.none(0.8), TestLabels.label("museums", "books")));

        assertThat(domains).extracting(domain -> domain.dimension().json() + "/" + domain.id())
                .containsExactly("safety/privacy_violation", "safety/self_harm", "cultural/museums", "cultural/books");
    }

    @Test
    void promptLabelledNoneEverywhereHasNoDomain() {
        assertThat(LabelledDomains.of(TestLabels.none())).isEmpty();
    }

    @Test
    void responseRequestIsValidatedAndCopiesItsFeedback() {
        List<String> feedback = new ArrayList<>(List.of("too vague"));
        ResponseRequest request = new ResponseRequest("Hi", TestLabels.none(), Polarity.ALIGNED, 0, feedback);
        feedback.add("later");

        assertThat(request.feedback()).containsExactly("too vague");
        assertThatThrownBy(() -> new ResponseRequest("Hi", TestLabels.none(), Polarity.ALIGNED, -1, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("candidate: 0 or more");
        assertThatThrownBy(() -> new ResponseRequest(null, TestLabels.none(), Polarity.ALIGNED, 0, List.of()))
                .isInstanceOf(NullPointerException.class).hasMessage("prompt");
        assertThatThrownBy(() -> new ResponseRequest("Hi", null, Polarity.ALIGNED, 0, List.of()))
                .isInstanceOf(NullPointerException.class).hasMessage("labels");
        assertThatThrownBy(() -> new ResponseRequest("Hi", TestLabels.none(), null, 0, List.of()))
                .isInstanceOf(NullPointerException.class).hasMessage("polarity");
        assertThatThrownBy(() -> new ResponseRequest("Hi", TestLabels.none(), Polarity.ALIGNED, 0, null))
                .isInstanceOf(NullPointerException.class).hasMessage("feedback");
    }
}
