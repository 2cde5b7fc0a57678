package org.tandem.referral.retention;

import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import org.tandem.events.Topics;
import org.tandem.platform.audit.AuditLog;
import org.tandem.platform.outbox.Outbox;
import org.tandem.platform.retention.RetentionKind;
import org.tandem.platform.retention.RetentionLease;
import org.tandem.platform.retention.RetentionPolicy;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.mapping.ReferralEventMapper;
import org.tandem.referral.mapping.ReferralMapper;
import org.tandem.referral.persistence.ConsentEntity;
import org.tandem.referral.persistence.HistoryEntry;
import org.tandem.referral.persistence.ReferralEntity;
import org.tandem.referral.service.ReferralTransitioned;

/**
 * referral-service's retention job (docs/retention.md). Once a day (a {@link RetentionLease} makes it once
 * per day across instances) it:
 * <ol>
 * <li>moves each open referral whose consent expired to WITHDRAWN, the state docs/design.md gives a referral
 * whose consent no longer holds; the transition shreds its case file as a withdrawal does;</li>
 * <li>crypto-shreds the case files past their period (after completion, after the consent's expiry): the
 * data key first, then the sealed bytes;</li>
 * <li>clears the personal parts of closed referrals past their period (summary, notes, the consent's detail,
 * the timeline and the case file's metadata), keeping the codes the statistics count;</li>
 * <li>deletes consent records, deletion receipts and expired organisation keys past their periods.</li>
 * </ol>
 * Each step works in batches of {@code tandem.retention.batch-size} rows, each batch in its own
 * transaction, skipping rows that another transaction holds (the next run takes them). Open referrals are
 * never touched, however old, except by the expiry of their consent.
 */
@ApplicationScoped
public class ReferralRetention {

    private static final Logger LOG = Logger.getLogger(ReferralRetention.class);
    static final String JOB = "referral-retention";
    static final String CLOSED = "('COMPLETED', 'DECLINED', 'CANCELLED', 'WITHDRAWN')";
    static final String OPEN_SUBMITTED = "('SUBMITTED', 'ACKNOWLEDGED', 'ACCEPTED', 'IN_PROGRESS')";

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    RetentionPolicy policy;

    @Inject
    RetentionLease lease;

    @Inject
    AuditLog audit;

    @Inject
    Outbox outbox;

    @Inject
    Event<ReferralTransitioned> transitioned;

    @Inject
    CaseFileShredding shredding;

    @ConfigProperty(name = "tandem.retention.batch-size", defaultValue = "200")
    int batchSize;

    @ConfigProperty(name = "tandem.retention.run-every", defaultValue = "P1D")
    Period runEvery;

    /** Looks every hour whether the day's run is due; runs it on the one instance that takes the lease. */
    @Scheduled(
            every = "${tandem.retention.check-every:1h}",
            delayed = "${tandem.retention.check-delay:10m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        Instant now = clock.instant();
        if (lease.tryTake(JOB, runEvery, now)) {
            Map<RetentionKind, Integer> done = run(now);
            LOG.infof("retention run at %s: %s", now, done);
        }
    }

    /** Enforces every period at {@code now}; returns how many records of each kind it removed or anonymised. */
    public Map<RetentionKind, Integer> run(Instant now) {
        Map<RetentionKind, Integer> done = new EnumMap<>(RetentionKind.class);
        Instant expired = policy.cutoff(RetentionKind.CASE_FILE_CONSENT_EXPIRED, now);
        int moved = batches(ids -> expireConsent(ids, now), """
                select r.id from referral r join consent c on c.referral_id = r.id
                where r.status in %s and c.withdrawn_at is null and c.expires_at < :cutoff
                order by r.id limit :n for update of r skip locked""".formatted(OPEN_SUBMITTED), expired);
        int expiredFiles = batches(ids -> shred(ids, "consent-expired"), """
                select f.referral_id from case_file f join consent c on c.referral_id = f.referral_id
                    join referral r on r.id = f.referral_id
                where f.shredded_at is null and c.expires_at < :cutoff
                order by f.referral_id limit :n for update of r skip locked""", expired);
        done.put(RetentionKind.CASE_FILE_CONSENT_EXPIRED, moved + expiredFiles);
        done.put(
                RetentionKind.CASE_FILE_COMPLETED,
                batches(ids -> shred(ids, "completed"), """
                select f.referral_id from case_file f join referral r on r.id = f.referral_id
                where f.shredded_at is null and r.status = 'COMPLETED' and r.closed_at < :cutoff
                order by f.referral_id limit :n for update of r skip locked""", policy.cutoff(RetentionKind.CASE_FILE_COMPLETED, now)));
        done.put(
                RetentionKind.REFERRAL_PERSONAL_DATA,
                batches(
                        ids -> anonymise(ids, now),
                        """
                select r.id from referral r
                where r.status in %s and r.closed_at < :cutoff and r.anonymised_at is null
                  and not exists (select 1 from case_file f where f.referral_id = r.id and f.shredded_at is null)
                order by r.id limit :n for update of r skip locked""".formatted(CLOSED),
                        policy.cutoff(RetentionKind.REFERRAL_PERSONAL_DATA, now)));
        done.put(
                RetentionKind.CONSENT_RECORD,
                batches(
                        ids -> deleteAll("consent", "referral_id", ids),
                        """
                select c.referral_id from consent c join referral r on r.id = c.referral_id
                where r.status in %s and r.closed_at < :cutoff
                order by c.referral_id limit :n for update of c skip locked""".formatted(CLOSED),
                        policy.cutoff(RetentionKind.CONSENT_RECORD, now)));
        done.put(
                RetentionKind.DELETION_RECEIPTS,
                batches(
                        ids -> deleteAll("deletion_receipt", "referral_id", ids),
                        """
                select referral_id from deletion_receipt where received_at < :cutoff
                order by referral_id limit :n for update skip locked""",
                        policy.cutoff(RetentionKind.DELETION_RECEIPTS, now)));
        done.put(RetentionKind.READ_MODELS, batchesOfKeys(policy.cutoff(RetentionKind.READ_MODELS, now)));
        return done;
    }

    /** Runs {@code select} (with {@code :cutoff} and {@code :n}) and {@code act} on its ids, batch after batch. */
    private int batches(Function<List<UUID>, Integer> act, String select, Instant cutoff) {
        int total = 0;
        while (true) {
            int[] batch = QuarkusTransaction.requiringNew().call(() -> {
                @SuppressWarnings("unchecked")
                List<UUID> ids = em.createNativeQuery(select)
                        .setParameter("cutoff", cutoff)
                        .setParameter("n", batchSize)
                        .getResultList();
                return new int[] {ids.size(), ids.isEmpty() ? 0 : act.apply(ids)};
            });
            total += batch[1];
            if (batch[0] < batchSize) {
                return total;
            }
        }
    }

    private int batchesOfKeys(Instant cutoff) {
        int total = 0;
        while (true) {
            int n = QuarkusTransaction.requiringNew()
                    .call(() -> em.createNativeQuery("""
                    delete from known_organisation_key where kid in (
                        select kid from known_organisation_key where expires_at < :cutoff
                        order by kid limit :n for update skip locked)""")
                            .setParameter("cutoff", cutoff)
                            .setParameter("n", batchSize)
                            .executeUpdate());
            total += n;
            if (n < batchSize) {
                return total;
            }
        }
    }

    /**
     * An open referral whose consent expired becomes WITHDRAWN: by the hub, with the code CONSENT_EXPIRED on
     * its timeline, its event to the receiver (which purges its copy, as after a withdrawal), and the
     * transition event that makes case-file custody shred the file in this transaction. The consent keeps its
     * record: it expired, she did not withdraw it.
     */
    private int expireConsent(List<UUID> ids, Instant now) {
        for (UUID id : ids) {
            ReferralEntity e = ReferralEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
            ConsentEntity c = ConsentEntity.findById(id);
            Referral r = ReferralMapper.toDomain(e, c);
            if (!(r instanceof Referral.Withdrawable w)) {
                continue;
            }
            Referral.Withdrawn withdrawn = w.withdraw(now);
            Referral.Withdrawn next =
                    new Referral.Withdrawn(withdrawn.facts(), r.consent(), withdrawn.timeline(), withdrawn.from());
            Referral.Status from = r.status();
            ReferralMapper.applyState(next, e, now);
            em.flush();
            audit.allowed("referral.consent-expired", "referral", id, e.senderOrg, e.receiverOrg);
            SpecificRecord event = ReferralEventMapper.eventFor(next, e.version, now);
            if (event != null) {
                outbox.append(Topics.REFERRALS, id.toString(), event);
            }
            HistoryEntry.of(id, now, "WITHDRAWN", e.status, null, "CONSENT_EXPIRED", null)
                    .persist();
            transitioned.fire(new ReferralTransitioned(next, from));
            LOG.infof("referral %s: consent expired, %s -> WITHDRAWN", id, from);
        }
        return ids.size();
    }

    private int shred(List<UUID> ids, String why) {
        ids.forEach(id -> shredding.shred(id, why));
        return ids.size();
    }

    /**
     * Clears the personal parts of closed referrals: the summary's bands and lists, the arrival window, the
     * notes, the consent's language, interpreter, method and who recorded it, the timeline and the case file's
     * metadata. Status, urgency, countries, times, decline reason and outcome stay for the statistics.
     */
    private int anonymise(List<UUID> ids, Instant now) {
        em.createNativeQuery("""
                update referral set requested_services = null, languages = null, age_band = null, children_age_bands = null,
                    safety_risk = null, arrival_earliest = null, arrival_latest = null, decline_note = null, outcome_note = null,
                    anonymised_at = :now, version = version + 1
                where id in (:ids)""")
                .setParameter("now", now)
                .setParameter("ids", ids)
                .executeUpdate();
        em.createNativeQuery("""
                update consent set form_language = null, interpreter_present = null, method = null, recorded_by = null
                where referral_id in (:ids)""").setParameter("ids", ids).executeUpdate();
        em.createNativeQuery("delete from referral_history where referral_id in (:ids)")
                .setParameter("ids", ids)
                .executeUpdate();
        em.createNativeQuery("delete from case_file_key where referral_id in (:ids)")
                .setParameter("ids", ids)
                .executeUpdate();
        em.createNativeQuery("delete from case_file where referral_id in (:ids)")
                .setParameter("ids", ids)
                .executeUpdate();
        for (UUID id : ids) {
            audit.allowed("referral.anonymised", "referral", id);
        }
        return ids.size();
    }

    private int deleteAll(String table, String column, List<UUID> ids) {
        return em.createNativeQuery("delete from " + table + " where " + column + " in (:ids)")
                .setParameter("ids", ids)
                .executeUpdate();
    }
}
