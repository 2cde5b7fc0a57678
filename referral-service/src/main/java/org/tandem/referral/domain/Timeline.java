package org.tandem.referral.domain;

import java.time.Instant;

/** When each step happened and the deadlines that were set; {@code null} for what has not happened. */
public record Timeline(
        Instant submittedAt,
        Instant acknowledgeBy,
        Instant acknowledgedAt,
        Instant decideBy,
        Instant decidedAt,
        Instant startedAt,
        Instant closedAt) {

    public static final Timeline EMPTY = new Timeline(null, null, null, null, null, null, null);

    Timeline submitted(Instant at, Instant ackBy) {
        return new Timeline(at, ackBy, acknowledgedAt, decideBy, decidedAt, startedAt, closedAt);
    }

    Timeline acknowledged(Instant at, Instant decideByAt) {
        return new Timeline(submittedAt, acknowledgeBy, at, decideByAt, decidedAt, startedAt, closedAt);
    }

    Timeline decided(Instant at) {
        return new Timeline(submittedAt, acknowledgeBy, acknowledgedAt, decideBy, at, startedAt, closedAt);
    }

    Timeline started(Instant at) {
        return new Timeline(submittedAt, acknowledgeBy, acknowledgedAt, decideBy, decidedAt, at, closedAt);
    }

    Timeline closed(Instant at) {
        return new Timeline(submittedAt, acknowledgeBy, acknowledgedAt, decideBy, decidedAt, startedAt, at);
    }
}
