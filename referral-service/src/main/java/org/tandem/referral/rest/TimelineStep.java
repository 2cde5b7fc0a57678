package org.tandem.referral.rest;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import org.tandem.referral.application.TimelineEntry;

/**
 * One step of a referral's timeline, as both parties see it: what happened, when, by which side, with its
 * code (decline reason, outcome, missed deadline). Never a note.
 *
 * @param by SENDER, RECEIVER, or HUB for the network's own steps (escalations)
 * @param linkedReferralId the new referral of a redirect, or the declined referral this one continues
 */
@Schema(name = "TimelineStep")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimelineStep(Instant at, String step, String status, String by, String code, UUID linkedReferralId) {

    static TimelineStep of(TimelineEntry e) {
        return new TimelineStep(e.at(), e.step(), e.status(), e.by(), e.code(), e.linkedReferralId());
    }
}
