package org.tandem.platform.outbox;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay lock's key on its own; that two services' relays hold their locks at once is shown against PostgreSQL (notification-service's RelayLockConcurrencyTest). */
class RelayLockTest {

    @Test
    void eachServiceHasAKeyOfItsOwn() {
        List<Integer> keys = List.of("registry", "referral", "notification").stream()
                .map(RelayLock::keyOf)
                .toList();
        assertThat(keys).doesNotHaveDuplicates();
    }

    @Test
    void theKeyIsTheSameInEveryInstance() {
        // CRC-32 of "notification.outbox_event", computed once with Python's zlib.crc32: a changed derivation would let
        // an upgraded instance and an old one relay at the same time
        assertThat(Integer.toUnsignedString(RelayLock.keyOf("notification"), 16))
                .isEqualTo("93256390");
        assertThat(RelayLock.keyOf("notification")).isEqualTo(RelayLock.keyOf(new String("notification")));
    }
}
