package org.tandem.registry.messaging;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import org.tandem.platform.serde.EventTypeFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The referrals channel's deserializer passes over the event types its setting does not name, before the consumer
 * sees them. A consumer changed to take another type without the setting would never receive it; this keeps the
 * setting and the consumer's type in step.
 */
class ReferralAcceptedConsumerTest {

    @Test
    void the_channel_passes_on_exactly_the_type_the_consumer_takes() throws IOException {
        Properties settings = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            assertThat(in).as("registry-service's application.properties").isNotNull();
            settings.load(in);
        }
        assertThat(settings.getProperty("mp.messaging.incoming.referrals.value.deserializer"))
                .isEqualTo(EventTypeFilter.class.getName());
        String types = settings.getProperty("mp.messaging.incoming.referrals." + EventTypeFilter.TYPES);
        assertThat(types).as("the channel's event types").isNotNull();
        assertThat(Arrays.stream(types.split(",")).map(String::strip))
                .containsExactly(ReferralAcceptedConsumer.TAKES.getName());
    }
}
