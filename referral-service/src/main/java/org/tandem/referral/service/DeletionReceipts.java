package org.tandem.referral.service;

import java.time.Clock;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.nimbusds.jose.jwk.ECKey;

import org.tandem.client.CaseFileFormatException;
import org.tandem.client.DeletionReceipt;
import org.tandem.platform.audit.AuditLog;
import org.tandem.referral.application.CaseFileStatus;
import org.tandem.referral.client.RegistryKeys;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.ReferralException;
import org.tandem.referral.mapping.CaseFileStatuses;
import org.tandem.referral.mapping.ReferralMapper;
import org.tandem.referral.persistence.CaseFileEntity;
import org.tandem.referral.persistence.DeletionReceiptEntity;
import org.tandem.referral.persistence.KnownOrganisationKey;

/**
 * The receiver's signed deletion receipts (docs/case-files.md): after the survivor withdrew her consent, the
 * receiver confirms that it purged the case file, signed with a key it published in the registry.
 */
@ApplicationScoped
public class DeletionReceipts {

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    RegistryKeys registryKeys;

    @Inject
    PartyGuard parties;

    /**
     * Accepts the receiver's signed deletion receipt for a withdrawn referral, verified against the
     * signature key it published in the registry.
     */
    @Transactional
    public CaseFileStatus accept(UUID caller, UUID id, String subject, String compact, String bearerToken) {
        Referral r = ReferralMapper.toDomain(parties.party(caller, id));
        parties.require(
                PartyGuard.Side.RECEIVER,
                caller,
                r,
                "case-file.deletion-receipt",
                "Only the receiving organisation gives a deletion receipt.");
        CaseFileEntity f = CaseFileEntity.findById(id);
        if (f == null) {
            throw new ReferralException.NotFound("case file");
        }
        if (!(r instanceof Referral.Withdrawn)) {
            throw new ReferralException.Conflict(
                    "not-withdrawn",
                    "A deletion receipt is given after the survivor withdraws her consent; this referral is "
                            + r.status() + ".");
        }
        DeletionReceipt parsed = parse(compact);
        if (!parsed.referralId().equals(id)) {
            throw new ReferralException.InvalidField("receipt.claims.tandem-referral", "must be this referral's id");
        }
        if (!parsed.organisationId().equals(caller)) {
            throw new ReferralException.InvalidField("receipt.claims.iss", "must be your organisation's id");
        }
        if (parsed.purgedAt().isAfter(clock.instant().plusSeconds(300))) {
            throw new ReferralException.InvalidField("receipt.claims.purged_at", "must not be in the future");
        }
        if (DeletionReceiptEntity.findById(id) != null) {
            throw new ReferralException.Conflict("receipt-exists", "This referral already has a deletion receipt.");
        }
        KnownOrganisationKey known = KnownOrganisationKey.findById(parsed.kid());
        ECKey key = known != null && known.organisationId.equals(caller) && "SIGNATURE".equals(known.use)
                ? registryKeys.signatureKey(caller, parsed.kid(), bearerToken).orElse(null)
                : null;
        if (key == null) {
            throw new ReferralException.Unprocessable(
                    "unknown-key",
                    "The receipt is not signed with a signature key your organisation has published in the registry.",
                    "receipt.header.kid",
                    "is not a published signature key of your organisation");
        }
        try {
            DeletionReceipt.verify(compact.strip(), key);
        } catch (CaseFileFormatException e) {
            throw new ReferralException.Unprocessable(
                    "invalid-signature",
                    "The receipt's signature does not verify with the key it names.",
                    "receipt",
                    "signature does not verify");
        }
        DeletionReceiptEntity e = new DeletionReceiptEntity();
        e.referralId = id;
        e.receipt = parsed.compact();
        e.signerKid = parsed.kid();
        e.purgedAt = parsed.purgedAt();
        e.receivedAt = clock.instant();
        e.receivedBy = subject;
        e.persist();
        audit.allowed(
                "case-file.deletion-receipt",
                "referral",
                id,
                r.parties().sender(),
                r.parties().receiver());
        return CaseFileStatuses.of(f, DeletionReceiptEntity.findById(f.referralId), r);
    }

    private static DeletionReceipt parse(String compact) {
        try {
            return DeletionReceipt.parse(compact);
        } catch (CaseFileFormatException e) {
            throw new ReferralException.InvalidField(e.field(), e.getMessage());
        }
    }
}
