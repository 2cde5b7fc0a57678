package org.tandem.registry.application;

import java.time.DayOfWeek;
import java.time.LocalTime;

/** A window in which the organisation answers referrals, in its own local time. */
public record OpeningHours(DayOfWeek dayOfWeek, LocalTime opens, LocalTime closes) {}
