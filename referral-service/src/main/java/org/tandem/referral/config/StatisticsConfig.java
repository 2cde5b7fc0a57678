package org.tandem.referral.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code tandem.statistics.*}: how the coordinator views protect small groups. */
@ConfigMapping(prefix = "tandem.statistics")
public interface StatisticsConfig {

    /**
     * A cell counting fewer referrals than this is reported as suppressed, never as a number (docs/design.md §4.7).
     * Values under 2 are read as 2: a count of 1 is never shown.
     */
    @WithDefault("5")
    int suppressionThreshold();

    default int threshold() {
        return Math.max(2, suppressionThreshold());
    }
}
