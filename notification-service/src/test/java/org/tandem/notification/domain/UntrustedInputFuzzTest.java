package org.tandem.notification.domain;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz tests of what notification-service reads from partners' servers and endpoint URLs. In
 * {@code verify} they run in regression mode over the seeds in
 * {@code src/test/resources/org/tandem/notification/domain/UntrustedInputFuzzTestInputs/}; with
 * {@code JAZZER_FUZZ=1} they fuzz for real.
 */
class UntrustedInputFuzzTest {

    static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");

    /** A partner's Retry-After header: never an exception, never a wait outside [0, 24 h]. */
    @FuzzTest
    void retryAfter(FuzzedDataProvider data) {
        String header = data.consumeRemainingAsString();
        RetryAfter.parse(header, NOW).ifPresent(wait -> {
            if (wait.isNegative() || wait.compareTo(Duration.ofHours(24)) > 0) {
                throw new AssertionError("wait out of bounds: " + wait);
            }
        });
    }

    /**
     * Any IPv4 or IPv6 address: the JDK's own classification is an independent oracle, so an address the JDK
     * calls loopback, any-local, link-local, site-local or multicast must be refused.
     */
    @FuzzTest
    void address(FuzzedDataProvider data) throws Exception {
        byte[] raw = data.consumeBytes(data.consumeBoolean() ? 4 : 16);
        if (raw.length != 4 && raw.length != 16) {
            return;
        }
        InetAddress a = InetAddress.getByAddress(raw);
        boolean refused = new AddressPolicy(false).refusal(a).isPresent();
        if (!refused
                && (a.isLoopbackAddress()
                        || a.isAnyLocalAddress()
                        || a.isLinkLocalAddress()
                        || a.isSiteLocalAddress()
                        || a.isMulticastAddress())) {
            throw new AssertionError("a webhook could reach " + a.getHostAddress());
        }
    }
}
