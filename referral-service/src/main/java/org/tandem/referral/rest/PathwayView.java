package org.tandem.referral.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import org.tandem.referral.application.PathwayTimeline;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.Stage;

/**
 * A pathway as an organisation on it sees it: for each referral her consent still covers, the organisations and their
 * countries, the stage, the status and the dates. Never a summary, a consent, a note or anything of a case file.
 * Organisation names come from the registry's directory, by id.
 */
@Schema(name = "Pathway")
public record PathwayView(UUID pathwayId, List<Step> referrals) {

    @Schema(name = "PathwayStep")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Step(
            UUID referralId,
            UUID onwardFrom,
            UUID redirectedFrom,
            Stage stage,
            Referral.Status status,
            UUID senderOrganisationId,
            String senderCountry,
            UUID receiverOrganisationId,
            String receiverCountry,
            Instant createdAt,
            Instant submittedAt,
            Instant decidedAt,
            Instant closedAt) {}

    static PathwayView of(PathwayTimeline t) {
        return new PathwayView(
                t.pathwayId(),
                t.referrals().stream()
                        .map(r -> new Step(
                                r.id(),
                                r.facts().pathway().onwardFrom(),
                                r.facts().redirectedFrom(),
                                r.facts().pathway().stage(),
                                r.status(),
                                r.parties().sender(),
                                r.parties().senderCountry(),
                                r.parties().receiver(),
                                r.parties().receiverCountry(),
                                r.facts().createdAt(),
                                r.timeline().submittedAt(),
                                r.timeline().decidedAt(),
                                r.timeline().closedAt()))
                        .toList());
    }
}
