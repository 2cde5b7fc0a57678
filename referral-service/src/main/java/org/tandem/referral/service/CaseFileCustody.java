package org.tandem.referral.service;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import org.tandem.client.CaseFileFormatException;
import org.tandem.client.CaseFileHeader;
import org.tandem.client.DataCategory;
import org.tandem.platform.audit.AuditLog;
import org.tandem.referral.application.CaseFileStatus;
import org.tandem.referral.config.CaseFileConfig;
import org.tandem.referral.domain.CaseFilePolicy;
import org.tandem.referral.domain.Consent;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.ReferralException;
import org.tandem.referral.mapping.CaseFileStatuses;
import org.tandem.referral.mapping.ReferralMapper;
import org.tandem.referral.persistence.CaseFileEntity;
import org.tandem.referral.persistence.CaseFileKeyEntity;
import org.tandem.referral.persistence.DeletionReceiptEntity;
import org.tandem.referral.persistence.KnownOrganisationKey;

/**
 * Custody of end-to-end encrypted case files (docs/case-files.md). The hub checks a file's protected
 * header, never its content, which it cannot decrypt: the receiver's kid, the algorithms, the size, and
 * that the survivor's consent covers the declared data categories. It seals the file ({@link HubKeyRing}),
 * releases it only to the receiver after acceptance, and destroys the data key when the referral ends
 * without transfer or she withdraws her consent.
 */
@ApplicationScoped
public class CaseFileCustody {

    private static final Logger LOG = Logger.getLogger(CaseFileCustody.class);

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    CaseFileConfig config;

    @Inject
    HubKeyRing keys;

    @Inject
    PartyGuard parties;

    @Transactional
    public CaseFileStatus upload(UUID caller, UUID id, String subject, String jwe) {
        Referral r = lockAndLoad(caller, id); // a concurrent cancellation must not miss the file stored here
        UUID receiver = r.parties().receiver();
        parties.require(
                PartyGuard.Side.SENDER,
                caller,
                r,
                "case-file.upload",
                "Only the sending organisation can upload the case file.");
        if (jwe == null || jwe.isBlank()) {
            throw new ReferralException.InvalidField("jwe", "must be the case file as a compact JWE");
        }
        if (jwe.length() > config.maxBytes()) {
            throw new ReferralException.TooLarge(
                    "case-file-size",
                    config.maxBytes(),
                    "A case file may have at most " + config.maxBytes()
                            + " bytes (limit case-file-size, tandem.case-files.max-bytes).");
        }
        CaseFileHeader header = header(jwe.strip());
        Instant now = clock.instant();
        if (!header.referralId().equals(id)) {
            throw new ReferralException.InvalidField("jwe.header.tandem-referral", "must be this referral's id");
        }
        KnownOrganisationKey key = KnownOrganisationKey.findById(header.kid());
        if (key == null || !key.organisationId.equals(receiver) || !"ENCRYPTION".equals(key.use) || !key.validAt(now)) {
            throw new ReferralException.Unprocessable(
                    "unknown-key",
                    "The file is not encrypted to a current encryption key of the receiving organisation. Fetch its keys from the registry and encrypt again.",
                    "jwe.header.kid",
                    "is not a current encryption key of the receiving organisation");
        }
        CaseFilePolicy.uploadRefusal(r).ifPresent(reason -> {
            throw new ReferralException.Conflict("case-file-closed", reason);
        });
        Set<Consent.DataCategory> categories = categories(header.dataCategories());
        CaseFilePolicy.consentRefusal(r, categories, now).ifPresent(reason -> {
            throw ReferralException.ConsentRequired.forTransfer("jwe.header.tandem-data-categories", reason);
        });
        if (CaseFileEntity.findById(id) != null) {
            throw new ReferralException.Conflict("case-file-exists", "This referral already has a case file.");
        }
        HubKeyRing.Sealed sealed = keys.seal(id, jwe.strip().getBytes(StandardCharsets.US_ASCII));
        CaseFileEntity f = new CaseFileEntity();
        f.referralId = id;
        f.sealed = sealed.file();
        f.receiverKid = header.kid();
        f.dataCategories = categories.stream().map(Enum::name).sorted().toArray(String[]::new);
        f.sizeBytes = jwe.strip().length();
        f.uploadedAt = now;
        f.uploadedBy = subject;
        f.persist();
        CaseFileKeyEntity k = new CaseFileKeyEntity();
        k.referralId = id;
        k.hubKeyId = sealed.hubKeyId();
        k.wrappedKey = sealed.wrappedKey();
        k.persist();
        audit.allowed("case-file.upload", "referral", id, r.parties().sender(), receiver);
        LOG.infof("case file stored for referral %s: %d bytes, receiver kid %s", id, f.sizeBytes, f.receiverKid);
        return CaseFileStatuses.of(f, DeletionReceiptEntity.findById(f.referralId), r);
    }

    /**
     * The compact JWE, for the receiver after acceptance while the consent covers the transfer. It runs under
     * the referral's row lock, as shredding does (docs/case-files.md, "Releases and shredding at the same
     * time"): a release either commits before a withdrawal, cancellation or decline, and the fetch it records
     * survives the shredding, or it waits for the shredding and finds the file destroyed (410).
     */
    @Transactional
    public String release(UUID caller, UUID id) {
        Referral r = lockAndLoad(caller, id);
        parties.require(
                PartyGuard.Side.RECEIVER,
                caller,
                r,
                "case-file.release",
                "Only the receiving organisation can fetch the case file.");
        CaseFileEntity f = CaseFileEntity.findById(id);
        if (f == null) {
            throw new ReferralException.NotFound("case file");
        }
        if (f.shreddedAt != null) {
            denied("case-file.release", r);
            throw new ReferralException.CaseFileDestroyed();
        }
        Optional<String> refusal = CaseFilePolicy.releaseRefusal(r);
        if (refusal.isPresent()) {
            denied("case-file.release", r);
            throw new ReferralException.Conflict("case-file-not-released", refusal.get());
        }
        Set<Consent.DataCategory> categories = EnumSet.noneOf(Consent.DataCategory.class);
        Arrays.stream(f.dataCategories).map(Consent.DataCategory::valueOf).forEach(categories::add);
        Optional<String> consent = CaseFilePolicy.consentRefusal(r, categories, clock.instant());
        if (consent.isPresent()) {
            denied("case-file.release", r);
            throw ReferralException.ConsentRequired.forTransfer("consent", consent.get());
        }
        CaseFileKeyEntity k = CaseFileKeyEntity.findById(id);
        String jwe = new String(
                keys.open(id, new HubKeyRing.Sealed(f.sealed, k.hubKeyId, k.wrappedKey)), StandardCharsets.US_ASCII);
        if (f.firstReleasedAt == null) {
            f.firstReleasedAt = clock.instant();
        }
        f.releaseCount++;
        audit.allowed(
                "case-file.release",
                "referral",
                id,
                r.parties().sender(),
                r.parties().receiver());
        LOG.infof("case file of referral %s released to the receiver (release %d)", id, f.releaseCount);
        return jwe;
    }

    /** The file's metadata and the deletion receipt's state, for either party. */
    @Transactional
    public CaseFileStatus status(UUID caller, UUID id) {
        Referral r = ReferralMapper.toDomain(parties.party(caller, id));
        CaseFileEntity f = CaseFileEntity.findById(id);
        if (f == null) {
            throw new ReferralException.NotFound("case file");
        }
        return CaseFileStatuses.of(f, DeletionReceiptEntity.findById(f.referralId), r);
    }

    /**
     * Crypto-shredding, in the transaction of the state change: when a referral is withdrawn (or ends
     * without transfer), its data key is deleted, and with it every copy of the file the hub holds.
     */
    void onTransition(@Observes ReferralTransitioned change) {
        Referral r = change.referral();
        if (!CaseFilePolicy.mustShred(r)) {
            return;
        }
        // The transition's update holds the referral's row lock, which release and upload take first, so no
        // release is half-way through this file; the case file's own lock guards against any other writer.
        CaseFileEntity f = CaseFileEntity.findById(r.id(), LockModeType.PESSIMISTIC_WRITE);
        if (f == null || f.shreddedAt != null) {
            return;
        }
        CaseFileKeyEntity.deleteById(r.id());
        f.sealed = null;
        f.shreddedAt = clock.instant();
        audit.allowed(
                "case-file.shred",
                "referral",
                r.id(),
                r.parties().sender(),
                r.parties().receiver());
        LOG.infof("case file of referral %s shredded on %s", r.id(), r.status());
    }

    /**
     * The referral under its row lock ({@link PartyGuard#lockedParty}); state, consent and case file are read
     * after the lock, so they are what the last committed transition left. Not {@link ReferralQueries#read}:
     * that audits a read of the referral, while these requests audit their own case-file entries (and a
     * denial, written in its own transaction, must not wait on this one's audit lock).
     */
    private Referral lockAndLoad(UUID caller, UUID id) {
        return ReferralMapper.toDomain(parties.lockedParty(caller, id));
    }

    private void denied(String action, Referral r) {
        audit.denied(
                action, "referral", r.id(), r.parties().sender(), r.parties().receiver());
    }

    private static CaseFileHeader header(String jwe) {
        try {
            return CaseFileHeader.parse(jwe);
        } catch (CaseFileFormatException e) {
            throw new ReferralException.InvalidField(e.field(), e.getMessage());
        }
    }

    private static Set<Consent.DataCategory> categories(Set<DataCategory> declared) {
        Set<Consent.DataCategory> out = EnumSet.noneOf(Consent.DataCategory.class);
        declared.forEach(c -> out.add(Consent.DataCategory.valueOf(c.name())));
        return out;
    }
}
