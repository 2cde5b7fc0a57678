package org.tandem.referral.application;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import org.tandem.referral.domain.AgeBand;
import org.tandem.referral.domain.ChildAgeBand;
import org.tandem.referral.domain.RequestedService;
import org.tandem.referral.domain.SafetyRisk;
import org.tandem.referral.domain.Urgency;

/** A referral's summary as given, not yet checked by the domain (its {@code Summary} does that). */
public record ReferralSummary(
        Urgency urgency,
        Set<RequestedService> requestedServices,
        List<String> languages,
        AgeBand ageBand,
        List<ChildAgeBand> accompanyingChildren,
        SafetyRisk safetyRisk,
        LocalDate arrivalEarliest,
        LocalDate arrivalLatest) {}
