package org.tandem.referral.retention;

import java.time.Clock;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import org.tandem.platform.audit.AuditLog;
import org.tandem.referral.persistence.CaseFileEntity;
import org.tandem.referral.persistence.CaseFileKeyEntity;
import org.tandem.referral.persistence.ReferralEntity;

/**
 * Crypto-shredding of a case file at the end of its retention period, as on withdrawal
 * (docs/case-files.md): the wrapped data key is deleted first, and only then the sealed bytes, so that no
 * moment exists at which the bytes are gone and the key that opens every copy of them (backups included)
 * survives. Takes the referral's row lock first, as a release does, so a release running at the same time
 * either finishes before or finds the file destroyed.
 */
@ApplicationScoped
public class CaseFileShredding {

    private static final Logger LOG = Logger.getLogger(CaseFileShredding.class);

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    AuditLog audit;

    /** Shreds the file of {@code referralId} if it still has one; returns whether it did. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean shred(UUID referralId, String why) {
        ReferralEntity r = ReferralEntity.findById(referralId, LockModeType.PESSIMISTIC_WRITE);
        CaseFileEntity f = CaseFileEntity.findById(referralId, LockModeType.PESSIMISTIC_WRITE);
        if (r == null || f == null || f.shreddedAt != null) {
            return false;
        }
        CaseFileKeyEntity.deleteById(referralId);
        em.flush(); // the key is gone before the bytes are touched
        f.sealed = null;
        f.shreddedAt = clock.instant();
        em.flush();
        audit.allowed("case-file.shred", "referral", referralId, r.senderOrg, r.receiverOrg);
        LOG.infof("case file of referral %s shredded: retention (%s)", referralId, why);
        return true;
    }
}
