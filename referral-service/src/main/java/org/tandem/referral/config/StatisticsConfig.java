package org.tandem.referral.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code tandem.statistics.*}: how the coordinator views protect small groups. */
@ConfigMapping(prefix = "tandem.statistics")
public interface StatisticsConfig {

    /**
     * A cell counting fewer referrals than this is reported as suppressed, never as a number, together with
     * the cells that would give it away (docs/privacy.md, docs/design.md §4.7). Values under 2 are read as 2:
     * a count of 1 is never shown.
     */
    @WithDefault("5")
    int suppressionThreshold();

    /** A median or 90th percentile is shown only for a group of at least this many referrals (at least 2). */
    @WithDefault("20")
    int percentileMinimum();

    default int threshold() {
        return Math.max(2, suppressionThreshold());
    }

    default int percentileGroup() {
        return Math.max(2, percentileMinimum());
    }
}
