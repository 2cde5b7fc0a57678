package org.tandem.referral.retention;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.apache.avro.specific.SpecificRecord;
import org.jboss.logging.Logger;

import org.tandem.events.Topics;
import org.tandem.platform.audit.AuditLog;
import org.tandem.platform.outbox.Outbox;
import org.tandem.platform.retention.RetentionBatches;
import org.tandem.platform.retention.RetentionKind;
import org.tandem.platform.retention.RetentionPolicy;
import org.tandem.platform.retention.RetentionReport;
import org.tandem.platform.retention.ServiceRetention;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.mapping.ReferralEventMapper;
import org.tandem.referral.mapping.ReferralMapper;
import org.tandem.referral.persistence.ConsentEntity;
import org.tandem.referral.persistence.ReferralEntity;
import org.tandem.referral.persistence.ReferralHistory;
import org.tandem.referral.persistence.ReferralRetentionRepository;
import org.tandem.referral.service.ReferralTransitioned;

/**
 * referral-service's retention (docs/retention.md). Its job (run once a day across instances by platform's
 * {@code RetentionSchedule}):
 * <ol>
 * <li>moves each open referral whose consent expired to WITHDRAWN, the state docs/design.md gives a referral
 * whose consent no longer holds; the transition shreds its case file as a withdrawal does;</li>
 * <li>crypto-shreds the case files past their period (after completion, after the consent's expiry): the
 * data key first, then the sealed bytes;</li>
 * <li>clears the personal parts of closed referrals past their period (summary, notes, the consent's detail,
 * the timeline and the case file's metadata), keeping the codes the statistics count;</li>
 * <li>deletes consent records, deletion receipts and expired organisation keys past their periods.</li>
 * </ol>
 * Each step works in batches of {@code tandem.retention.batch-size} rows ({@link RetentionBatches}), each batch in
 * its own transaction, skipping rows that another transaction holds (the next run takes them). Open referrals are
 * never touched, however old, except by the expiry of their consent. The SQL is {@link ReferralRetentionRepository}'s,
 * which also counts the report (platform's {@code RetentionResource}).
 */
@ApplicationScoped
public class ReferralRetention implements ServiceRetention {

    private static final Logger LOG = Logger.getLogger(ReferralRetention.class);
    static final String JOB = "referral-retention";

    @Inject
    EntityManager em;

    @Inject
    RetentionPolicy policy;

    @Inject
    RetentionBatches batches;

    @Inject
    ReferralRetentionRepository repository;

    @Inject
    AuditLog audit;

    @Inject
    Outbox outbox;

    @Inject
    ReferralHistory timeline;

    @Inject
    Event<ReferralTransitioned> transitioned;

    @Inject
    CaseFileShredding shredding;

    @Override
    public String service() {
        return "referral-service";
    }

    @Override
    public String job() {
        return JOB;
    }

    /** Enforces every period at {@code now}; returns how many records of each kind it removed or anonymised. */
    @Override
    public Map<RetentionKind, Integer> run(Instant now) {
        Map<RetentionKind, Integer> done = new EnumMap<>(RetentionKind.class);
        Instant expired = policy.cutoff(RetentionKind.CASE_FILE_CONSENT_EXPIRED, now);
        int moved =
                batches(limit -> repository.lockOpenWithExpiredConsent(expired, limit), ids -> expireConsent(ids, now));
        int expiredFiles = batches(
                limit -> repository.lockCaseFilesWithConsentExpiredBefore(expired, limit),
                ids -> shred(ids, "consent-expired"));
        done.put(RetentionKind.CASE_FILE_CONSENT_EXPIRED, moved + expiredFiles);
        Instant completed = policy.cutoff(RetentionKind.CASE_FILE_COMPLETED, now);
        done.put(
                RetentionKind.CASE_FILE_COMPLETED,
                batches(
                        limit -> repository.lockCaseFilesCompletedBefore(completed, limit),
                        ids -> shred(ids, "completed")));
        Instant personal = policy.cutoff(RetentionKind.REFERRAL_PERSONAL_DATA, now);
        done.put(
                RetentionKind.REFERRAL_PERSONAL_DATA,
                batches(limit -> repository.lockClosedToAnonymise(personal, limit), ids -> anonymise(ids, now)));
        Instant consents = policy.cutoff(RetentionKind.CONSENT_RECORD, now);
        done.put(
                RetentionKind.CONSENT_RECORD,
                batches(limit -> repository.lockConsentsClosedBefore(consents, limit), repository::deleteConsents));
        Instant receipts = policy.cutoff(RetentionKind.DELETION_RECEIPTS, now);
        done.put(
                RetentionKind.DELETION_RECEIPTS,
                batches(
                        limit -> repository.lockDeletionReceiptsBefore(receipts, limit),
                        repository::deleteDeletionReceipts));
        Instant keys = policy.cutoff(RetentionKind.READ_MODELS, now);
        done.put(
                RetentionKind.READ_MODELS,
                batches.inBatches(limit ->
                        RetentionBatches.Done.of(repository.deleteOrganisationKeysExpiredBefore(keys, limit))));
        return done;
    }

    @Override
    public List<RetentionReport.Row> report(Instant now, UUID org) {
        return repository.report(policy, now, org);
    }

    /** Takes the ids of each batch with {@code lock} and acts on them with {@code act}, batch after batch. */
    private int batches(IntFunction<List<UUID>> lock, Function<List<UUID>, Integer> act) {
        return batches.inBatches(limit -> {
            List<UUID> ids = lock.apply(limit);
            return new RetentionBatches.Done(ids.size(), ids.isEmpty() ? 0 : act.apply(ids));
        });
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
            timeline.append(id, now, "WITHDRAWN", e.status, null, "CONSENT_EXPIRED", null);
            transitioned.fire(new ReferralTransitioned(next, from));
            LOG.infof("referral %s: consent expired, %s -> WITHDRAWN", id, from);
        }
        return ids.size();
    }

    private int shred(List<UUID> ids, String why) {
        ids.forEach(id -> shredding.shred(id, why));
        return ids.size();
    }

    /** Clears the personal parts of closed referrals (the repository says which) and audits each. */
    private int anonymise(List<UUID> ids, Instant now) {
        repository.anonymise(ids, now);
        for (UUID id : ids) {
            audit.allowed("referral.anonymised", "referral", id);
        }
        return ids.size();
    }
}
