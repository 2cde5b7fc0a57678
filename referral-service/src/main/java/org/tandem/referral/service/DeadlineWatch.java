package org.tandem.referral.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

import org.tandem.events.Topics;
import org.tandem.platform.outbox.Outbox;
import org.tandem.referral.mapping.ReferralEventMapper;
import org.tandem.referral.mapping.ReferralMapper;
import org.tandem.referral.persistence.EscalationRepository;
import org.tandem.referral.persistence.ReferralEntity;
import org.tandem.referral.persistence.ReferralHistory;

/**
 * Raises an escalation when a receiver misses a response deadline: a SUBMITTED referral past its
 * acknowledgement deadline, an ACKNOWLEDGED one past its decision deadline. The escalation row's primary
 * key (referral, deadline) makes it happen exactly once, however many runs or instances see the same
 * referral; its {@code ReferralEscalated} event goes through the outbox in the same transaction. It is a
 * flag for the coordinators and does not change the referral's state. Time comes from the {@link Clock}
 * bean, so a test can move it instead of waiting.
 */
@ApplicationScoped
public class DeadlineWatch {

    private static final Logger LOG = Logger.getLogger(DeadlineWatch.class);
    /** Escalations per deadline kind and run; the next run continues. */
    static final int BATCH = 200;

    @Inject
    EscalationRepository escalations;

    @Inject
    Outbox outbox;

    @Inject
    ReferralHistory timeline;

    @Inject
    Clock clock;

    @Scheduled(
            every = "${tandem.deadlines.check-every:60s}",
            delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        int raised = escalateDue();
        if (raised > 0) {
            LOG.infof("raised %d escalation(s) for missed response deadlines", raised);
        }
    }

    /** Escalates every referral whose deadline has passed at the clock's now; returns how many it raised. */
    @Transactional
    public int escalateDue() {
        Instant now = clock.instant();
        return escalate(EscalationRepository.Deadline.ACKNOWLEDGE, now)
                + escalate(EscalationRepository.Deadline.DECIDE, now);
    }

    private int escalate(EscalationRepository.Deadline deadline, Instant now) {
        List<UUID> raised = escalations.raiseDue(deadline, now, BATCH);
        String kind = deadline.name();
        for (UUID id : raised) {
            ReferralEntity e = ReferralEntity.findById(id);
            var referral = ReferralMapper.toDomain(e);
            var dueAt = deadline == EscalationRepository.Deadline.ACKNOWLEDGE ? e.acknowledgeBy : e.decideBy;
            outbox.append(
                    Topics.REFERRALS,
                    e.id.toString(),
                    ReferralEventMapper.escalated(referral, e.version, kind, dueAt, now));
            timeline.append(e.id, now, "ESCALATED", e.status, null, kind, null);
        }
        return raised.size();
    }
}
