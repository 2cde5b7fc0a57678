package org.tandem.referral.service;

import java.time.Duration;
import java.util.Map;

import org.tandem.referral.domain.DeadlinePolicy;
import org.tandem.referral.domain.Urgency;

import io.smallrye.config.ConfigMapping;

/** {@code tandem.deadlines.*}: the network's response deadlines by urgency. */
@ConfigMapping(prefix = "tandem.deadlines")
public interface DeadlineConfig {

    ByUrgency acknowledge();

    ByUrgency decide();

    interface ByUrgency {
        Duration emergency();

        Duration urgent();

        Duration routine();

        default Map<Urgency, Duration> asMap() {
            return Map.of(Urgency.EMERGENCY, emergency(), Urgency.URGENT, urgent(), Urgency.ROUTINE, routine());
        }
    }

    default DeadlinePolicy policy() {
        return new DeadlinePolicy(acknowledge().asMap(), decide().asMap());
    }
}
