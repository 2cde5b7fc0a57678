package org.tandem.referral.rest;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.tandem.platform.problem.ProblemException;
import org.tandem.platform.ratelimit.RateLimited;
import org.tandem.platform.security.Roles;
import org.tandem.referral.service.CoordinatorViews;
import org.tandem.referral.statistics.StatisticsPeriod;

/** The network coordinators' views of referral flow and response times. No survivor data, small cells suppressed (docs/privacy.md). */
@RateLimited
@Path("/api/v1/coordination")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.COORDINATOR)
@Tag(name = "Coordination", description = "Anonymised statistics and escalations for network coordinators")
public class CoordinatorResource {

    @Inject
    CoordinatorViews views;

    @Inject
    Clock clock;

    @GET
    @Path("/statistics")
    @Operation(
            summary =
                    "Referrals by status and urgency, by age of the current state, by stage, by country pair; pathways"
                            + " by number of referrals; response times",
            description =
                    "For the referrals submitted in one calendar month (2026-11), quarter (2026-Q4) or year (2026), UTC; "
                            + "the current year when no period is given. Small cells, and the cells that would give them away, are "
                            + "reported as suppressed; a median or p90 of too few referrals reads tooFew (docs/privacy.md).")
    public CoordinatorStatistics statistics(
            @QueryParam("period") @Size(max = 7) String period, @QueryParam("since") @Size(max = 40) String since) {
        if (since != null) {
            throw ProblemException.invalidField(
                    "since", "is not supported: statistics cover a fixed period, e.g. period=2026-11, 2026-Q4 or 2026");
        }
        if (period == null || period.isBlank()) {
            return CoordinatorStatistics.of(views.statistics(StatisticsPeriod.yearOf(clock.instant())));
        }
        StatisticsPeriod p = StatisticsPeriod.parse(period);
        if (p == null) {
            throw ProblemException.invalidField(
                    "period",
                    "must be a month (2026-11), a quarter (2026-Q4) or a year (2026) between "
                            + StatisticsPeriod.MIN_YEAR + " and " + StatisticsPeriod.MAX_YEAR);
        }
        return CoordinatorStatistics.of(views.statistics(p));
    }

    @GET
    @Path("/escalations")
    @Operation(summary = "Missed response deadlines, newest first")
    public List<CoordinatorStatistics.Escalation> escalations(
            @QueryParam("since") @Size(max = 40) String since,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return views.escalations(instant(since), limit).stream()
                .map(CoordinatorStatistics.Escalation::of)
                .toList();
    }

    private static Instant instant(String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField("since", "must be an ISO-8601 instant such as 2026-01-01T00:00:00Z");
        }
    }
}
