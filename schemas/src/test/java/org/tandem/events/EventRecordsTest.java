package org.tandem.events;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.tandem.events.referral.ReferralAccepted;
import org.tandem.events.referral.ReferralSubmitted;

import static org.assertj.core.api.Assertions.assertThat;

class EventRecordsTest {

    @Test
    void an_event_class_keeps_one_data_model() {
        assertThat(EventRecords.modelOf(ReferralAccepted.class)).isSameAs(EventRecords.modelOf(ReferralAccepted.class));
        assertThat(EventRecords.modelOf(ReferralAccepted.class))
                .isNotSameAs(EventRecords.modelOf(ReferralSubmitted.class));
    }

    @Test
    void the_model_loads_through_the_event_class_loader_and_converts_timestamps() {
        var model = EventRecords.modelOf(ReferralAccepted.class);
        assertThat(model.getClassLoader()).isSameAs(ReferralAccepted.class.getClassLoader());
        assertThat(model.getConversionByClass(Instant.class)).isNotNull();
    }
}
