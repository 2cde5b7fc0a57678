package org.tandem.referral.domain;

import java.time.Duration;
import java.util.Map;

/**
 * How long a receiver has to acknowledge and then to decide, by urgency. The network sets it in
 * configuration; missing one is flagged for the coordinators, it does not change the referral's state.
 */
public record DeadlinePolicy(Map<Urgency, Duration> acknowledgeWithin, Map<Urgency, Duration> decideWithin) {

    public DeadlinePolicy {
        for (Urgency u : Urgency.values()) {
            if (!acknowledgeWithin.containsKey(u) || !decideWithin.containsKey(u)) {
                throw new IllegalArgumentException("deadline policy lacks " + u);
            }
        }
        acknowledgeWithin = Map.copyOf(acknowledgeWithin);
        decideWithin = Map.copyOf(decideWithin);
    }

    public Duration acknowledgeWithin(Urgency urgency) {
        return acknowledgeWithin.get(urgency);
    }

    public Duration decideWithin(Urgency urgency) {
        return decideWithin.get(urgency);
    }
}
