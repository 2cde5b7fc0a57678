package org.tandem.platform.serde;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The value deserialiser that passes over the event types a consumer does not take, by the relay's header, without
 * decoding them; everything else reaches the Avro deserialiser (here a stand-in that records what it was given).
 */
class EventTypeFilterTest {

    static final String ACCEPTED = "org.tandem.events.referral.ReferralAccepted";
    static final String SUBMITTED = "org.tandem.events.referral.ReferralSubmitted";

    /** Stands in for the Avro deserialiser: answers "decoded" and remembers the bytes it was asked to decode. */
    static final class Recording implements Deserializer<Object> {
        final List<byte[]> decoded = new ArrayList<>();
        Map<String, Object> configs;

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            this.configs = Map.copyOf(configs);
        }

        @Override
        public Object deserialize(String topic, byte[] data) {
            decoded.add(data);
            return "decoded";
        }
    }

    private static RecordHeaders typed(String type) {
        var h = new RecordHeaders();
        h.add(EventTypeFilter.HEADER, type.getBytes(StandardCharsets.US_ASCII));
        return h;
    }

    private static EventTypeFilter filter(Recording avro, String types) {
        var f = new EventTypeFilter(avro);
        f.configure(Map.of(EventTypeFilter.TYPES, types, "apicurio.registry.url", "http://registry"), false);
        return f;
    }

    @Test
    void passesOverAnotherTypeWithoutDecodingIt() {
        var avro = new Recording();
        var f = filter(avro, ACCEPTED);

        assertThat(f.deserialize("t", typed(SUBMITTED), new byte[] {0, 1, 2})).isNull();
        assertThat(avro.decoded).isEmpty();
    }

    @Test
    void decodesATakenTypeAndARecordWithoutTheHeader() {
        var avro = new Recording();
        var f = filter(avro, " " + SUBMITTED + " , " + ACCEPTED + ",");

        assertThat(f.deserialize("t", typed(ACCEPTED), new byte[] {1})).isEqualTo("decoded");
        assertThat(f.deserialize("t", typed(SUBMITTED), new byte[] {2})).isEqualTo("decoded");
        // written before the relay set the header: decoded, as before
        assertThat(f.deserialize("t", new RecordHeaders(), new byte[] {3})).isEqualTo("decoded");
        assertThat(f.deserialize("t", null, new byte[] {4})).isEqualTo("decoded");
        assertThat(avro.decoded).containsExactly(new byte[] {1}, new byte[] {2}, new byte[] {3}, new byte[] {4});
    }

    @Test
    void passesEverySettingOnToTheAvroDeserialiser() {
        var avro = new Recording();
        filter(avro, ACCEPTED);

        assertThat(avro.configs).containsEntry("apicurio.registry.url", "http://registry");
    }

    @Test
    void refusesAChannelThatNamesNoType() {
        assertThatThrownBy(() -> new EventTypeFilter(new Recording()).configure(Map.of(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(EventTypeFilter.TYPES);
        assertThatThrownBy(() ->
                        new EventTypeFilter(new Recording()).configure(Map.of(EventTypeFilter.TYPES, " , "), false))
                .isInstanceOf(ConfigException.class);
    }
}
