package org.tandem.registry.domain;

import java.time.DayOfWeek;
import java.time.LocalTime;

/** A window in which the organisation answers referrals, in its own local time. */
public record ContactHours(DayOfWeek dayOfWeek, LocalTime opens, LocalTime closes) {

    public ContactHours {
        if (dayOfWeek == null || opens == null || closes == null) {
            throw new InvalidProfileException("contactHours", "need dayOfWeek, opens and closes");
        }
        if (!opens.isBefore(closes)) {
            throw new InvalidProfileException("contactHours", "must open before they close");
        }
    }
}
