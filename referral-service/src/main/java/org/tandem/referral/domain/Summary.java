package org.tandem.referral.domain;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * What a receiver sees before it accepts (docs/design.md §3.3): no name, no date of birth, no free text.
 *
 * @param languages ISO 639-3 codes of the languages she speaks
 * @param arrivalEarliest first day she could arrive, if known
 * @param arrivalLatest last day of the arrival window, if known
 */
public record Summary(
        Urgency urgency,
        Set<RequestedService> requestedServices,
        List<String> languages,
        AgeBand ageBand,
        List<ChildAgeBand> accompanyingChildren,
        SafetyRisk safetyRisk,
        LocalDate arrivalEarliest,
        LocalDate arrivalLatest) {

    public Summary {
        if (urgency == null || safetyRisk == null || ageBand == null) {
            throw new ReferralException.InvalidField(
                    "summary", "needs an urgency, an age band and a safety-risk level");
        }
        if (requestedServices == null || requestedServices.isEmpty()) {
            throw new ReferralException.InvalidField("summary.requestedServices", "must name at least one service");
        }
        requestedServices = Set.copyOf(requestedServices);
        languages = languages == null ? List.of() : List.copyOf(languages);
        accompanyingChildren = accompanyingChildren == null ? List.of() : List.copyOf(accompanyingChildren);
        if (arrivalEarliest != null && arrivalLatest != null && arrivalLatest.isBefore(arrivalEarliest)) {
            throw new ReferralException.InvalidField("summary.arrivalLatest", "must not be before arrivalEarliest");
        }
    }

    public int childrenCount() {
        return accompanyingChildren.size();
    }
}
