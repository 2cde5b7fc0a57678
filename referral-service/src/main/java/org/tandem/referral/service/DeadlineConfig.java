package org.tandem.referral.service;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import org.tandem.referral.domain.DeadlinePolicy;
import org.tandem.referral.domain.Urgency;

/** {@code tandem.deadlines.*}: the network's response deadlines by urgency. */
@ConfigMapping(prefix = "tandem.deadlines")
public interface DeadlineConfig {

    ByUrgency acknowledge();

    ByUrgency decide();

    /** How often {@link DeadlineWatch} looks for missed deadlines, as the scheduler reads it (60s, 5m). */
    @WithDefault("60s")
    String checkEvery();

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
