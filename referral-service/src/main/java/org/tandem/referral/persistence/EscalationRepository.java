package org.tandem.referral.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * The {@code referral_escalation} table: one row per missed response deadline, its primary key (referral,
 * kind) making each escalation happen once however many runs or instances see it.
 */
@ApplicationScoped
public class EscalationRepository {

    /** The deadlines a receiver can miss. */
    public enum Deadline {
        /** a SUBMITTED referral past {@code acknowledge_by} */
        ACKNOWLEDGE("SUBMITTED", "acknowledge_by"),
        /** an ACKNOWLEDGED referral past {@code decide_by} */
        DECIDE("ACKNOWLEDGED", "decide_by");

        private final String status;
        private final String column;

        Deadline(String status, String column) {
            this.status = status;
            this.column = column;
        }
    }

    /** A missed deadline with the referral's metadata (countries without padding). */
    public record EscalationRow(
            UUID referralId,
            String kind,
            Instant dueAt,
            Instant escalatedAt,
            String urgency,
            String status,
            UUID senderOrg,
            String senderCountry,
            UUID receiverOrg,
            String receiverCountry) {}

    @Inject
    EntityManager em;

    /**
     * Records an escalation for at most {@code batch} referrals whose {@code deadline} passed at {@code now} and
     * that have none yet, oldest deadline first; returns their ids.
     */
    public List<UUID> raiseDue(Deadline deadline, Instant now, int batch) {
        @SuppressWarnings("unchecked")
        List<Object> raised = em.createNativeQuery("""
                with due as (
                    select r.id, r.%1$s as due_at from referral r
                    where r.status = :status and r.%1$s <= :now
                      and not exists (select 1 from referral_escalation x where x.referral_id = r.id and x.kind = :kind)
                    order by r.%1$s, r.id limit %2$d -- one order for every run, so concurrent runs cannot deadlock
                ), raised as (
                    insert into referral_escalation (referral_id, kind, due_at, escalated_at)
                    select id, :kind, due_at, :now from due
                    on conflict do nothing
                    returning referral_id
                )
                select referral_id from raised""".formatted(deadline.column, batch))
                .setParameter("status", deadline.status)
                .setParameter("kind", deadline.name())
                .setParameter("now", Timestamp.from(now))
                .getResultList();
        return raised.stream().map(UUID.class::cast).toList();
    }

    /** Escalations since {@code since} (every one when null), newest first. */
    public List<EscalationRow> since(Instant since, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select x.referral_id, x.kind, x.due_at, x.escalated_at, r.urgency, r.status,
                       r.sender_org, r.sender_country, r.receiver_org, r.receiver_country
                from referral_escalation x join referral r on r.id = x.referral_id
                where x.escalated_at >= :since
                order by x.escalated_at desc, x.referral_id limit :limit""")
                .setParameter("since", Timestamp.from(since == null ? Instant.EPOCH : since))
                .setParameter("limit", limit)
                .getResultList();
        return rows.stream()
                .map(r -> new EscalationRow(
                        (UUID) r[0],
                        (String) r[1],
                        instant(r[2]),
                        instant(r[3]),
                        (String) r[4],
                        (String) r[5],
                        (UUID) r[6],
                        r[7].toString().strip(),
                        (UUID) r[8],
                        r[9].toString().strip()))
                .toList();
    }

    private static Instant instant(Object o) {
        return o instanceof Timestamp t ? t.toInstant() : o instanceof Instant i ? i : ((OffsetDateTime) o).toInstant();
    }
}
