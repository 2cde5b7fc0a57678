package org.tandem.registry.domain;

import java.time.Instant;

/**
 * Membership of the network. Each state is a type, and only the transitions a state allows exist as
 * methods: a pending organisation can be approved, an approved one suspended, a suspended one
 * reinstated. Only approved organisations can be found or referred to.
 */
public sealed interface Membership {

    Status status();

    enum Status {
        PENDING,
        APPROVED,
        SUSPENDED
    }

    static Membership of(Status status, Instant since) {
        return switch (status) {
            case PENDING -> new Pending(since);
            case APPROVED -> new Approved(since);
            case SUSPENDED -> new Suspended(since);
        };
    }

    /** Applied, waiting for a coordinator. */
    record Pending(Instant appliedAt) implements Membership {
        public Approved approve(Instant at) {
            return new Approved(at);
        }

        @Override
        public Status status() {
            return Status.PENDING;
        }
    }

    record Approved(Instant approvedAt) implements Membership {
        public Suspended suspend(Instant at) {
            return new Suspended(at);
        }

        @Override
        public Status status() {
            return Status.APPROVED;
        }
    }

    /** No longer receives referrals; its open referrals stay readable to their parties. */
    record Suspended(Instant suspendedAt) implements Membership {
        public Approved reinstate(Instant at) {
            return new Approved(at);
        }

        @Override
        public Status status() {
            return Status.SUSPENDED;
        }
    }
}
