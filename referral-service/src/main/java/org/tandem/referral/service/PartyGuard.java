package org.tandem.referral.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import org.tandem.platform.audit.AuditLog;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.ReferralException;
import org.tandem.referral.persistence.ReferralEntity;

/**
 * Who may touch a referral: only its two organisations (a receiver only once it was submitted), and for most
 * requests only one of them. Every refusal is audited as a denial for the organisations involved, so that they
 * can see who asked. An organisation that is no party gets the same 404 as for an unknown id
 * (docs/security.md); the wrong party gets a 403.
 */
@ApplicationScoped
public class PartyGuard {

    /** A side of a referral. */
    public enum Side {
        SENDER,
        RECEIVER
    }

    @Inject
    AuditLog audit;

    @Inject
    EntityManager em;

    /** The referral if the caller's organisation is a party to it; the same 404 otherwise. */
    public ReferralEntity party(UUID caller, UUID id) {
        return checked(caller, id, ReferralEntity.findWithConsent(id));
    }

    private ReferralEntity checked(UUID caller, UUID id, ReferralEntity e) {
        if (e == null
                || e.anonymisedAt != null
                || !(e.senderOrg.equals(caller) || (e.receiverOrg.equals(caller) && !"DRAFT".equals(e.status)))) {
            // recorded for the organisations involved, so that they can see who asked for their referral
            audit.denied(
                    "referral.access",
                    "referral",
                    id,
                    e == null ? null : e.senderOrg,
                    e == null ? null : e.receiverOrg);
            throw new ReferralException.NotFound("referral");
        }
        return e;
    }

    /**
     * {@link #party} under the referral's row lock ({@code SELECT ... FOR UPDATE}, read again), held until this
     * transaction ends. A transition's update of the referral (withdrawal, cancellation, decline, which shred in
     * the same transaction) waits for it, and this waits for a transition that got there first; what is read
     * after it is what the last committed transition left. PostgreSQL does the ordering, so it holds across
     * several instances of the service.
     */
    public ReferralEntity lockedParty(UUID caller, UUID id) {
        // Not with its consent (findWithConsent): the consent too must be read after the lock.
        ReferralEntity e = checked(caller, id, ReferralEntity.findById(id));
        em.refresh(e, LockModeType.PESSIMISTIC_WRITE);
        return e;
    }

    /** The referral if the caller's organisation sent it; 404 for no party, 403 for the receiver. */
    public ReferralEntity sender(UUID caller, UUID id) {
        ReferralEntity e = party(caller, id);
        require(
                Side.SENDER,
                caller,
                e.id,
                e.senderOrg,
                e.receiverOrg,
                "referral.sender-action",
                "Only the sending organisation can do this.");
        return e;
    }

    /** The referral if the caller's organisation received it; 404 for no party, 403 for the sender. */
    public ReferralEntity receiver(UUID caller, UUID id) {
        ReferralEntity e = party(caller, id);
        require(
                Side.RECEIVER,
                caller,
                e.id,
                e.senderOrg,
                e.receiverOrg,
                "referral.receiver-action",
                "Only the receiving organisation can do this.");
        return e;
    }

    /**
     * Refuses a caller that is not on {@code side} of the referral with a 403 saying {@code detail}, audited as a
     * denial of {@code action}.
     */
    public void require(Side side, UUID caller, Referral r, String action, String detail) {
        require(side, caller, r.id(), r.parties().sender(), r.parties().receiver(), action, detail);
    }

    private void require(Side side, UUID caller, UUID id, UUID sender, UUID receiver, String action, String detail) {
        if (!(side == Side.SENDER ? sender : receiver).equals(caller)) {
            audit.denied(action, "referral", id, sender, receiver);
            throw new ReferralException.NotAllowed(detail);
        }
    }
}
