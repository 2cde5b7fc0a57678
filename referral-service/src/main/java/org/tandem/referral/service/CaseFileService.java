package org.tandem.referral.service;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.crypto.SecretKey;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;
import org.tandem.client.CaseFileFormatException;
import org.tandem.client.CaseFileHeader;
import org.tandem.client.DataCategory;
import org.tandem.client.DeletionReceipt;
import org.tandem.platform.audit.AuditLog;
import org.tandem.platform.problem.Problem;
import org.tandem.platform.problem.ProblemException;
import org.tandem.platform.problem.Problems;
import org.tandem.referral.client.RegistryKeys;
import org.tandem.referral.config.CaseFileConfig;
import org.tandem.referral.domain.CaseFilePolicy;
import org.tandem.referral.domain.Consent;
import org.tandem.referral.domain.Envelope;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.mapping.ReferralMapper;
import org.tandem.referral.persistence.CaseFileEntity;
import org.tandem.referral.persistence.ConsentEntity;
import org.tandem.referral.persistence.ReferralEntity;
import org.tandem.referral.persistence.CaseFileKeyEntity;
import org.tandem.referral.persistence.DeletionReceiptEntity;
import org.tandem.referral.persistence.KnownOrganisationKey;

import com.nimbusds.jose.jwk.ECKey;

import io.quarkus.runtime.StartupEvent;

/**
 * Custody of end-to-end encrypted case files (docs/case-files.md). The hub checks a file's protected
 * header, never its content, which it cannot decrypt: the receiver's kid, the algorithms, the size, and
 * that the survivor's consent covers the declared data categories. It seals the file with a fresh
 * per-referral data key wrapped with a hub key, releases it only to the receiver after acceptance, and
 * destroys the data key when the referral ends without transfer or she withdraws her consent.
 */
@ApplicationScoped
public class CaseFileService {

    private static final Logger LOG = Logger.getLogger(CaseFileService.class);

    /** What a party sees about a referral's case file; never its content. */
    public record Status(UUID referralId, int sizeBytes, Set<String> dataCategories, String receiverKid, Instant uploadedAt,
            Instant firstReleasedAt, int releaseCount, Instant shreddedAt, ReceiptState receipt,
            DeletionReceiptEntity receiptRow) {
    }

    /** Whether the receiver has confirmed purging the file. */
    public enum ReceiptState {
        /** No receipt is owed: the survivor has not withdrawn, or the file never reached the receiver. */
        NOT_REQUIRED,
        /** She withdrew after the receiver fetched the file, and the receiver has not confirmed its purge. */
        MISSING,
        RECEIVED
    }

    @Inject
    ReferralService referrals;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    CaseFileConfig config;

    @Inject
    RegistryKeys registryKeys;

    @Inject
    EntityManager em;

    private Map<String, SecretKey> hubKeys;

    /**
     * Reads the hub keys at startup, so that a malformed one stops the service. A missing or development key
     * never gets here in production: org.tandem.platform.config.ProductionSettingsCheck refuses it first.
     */
    void checkKeys(@Observes StartupEvent start) {
        hubKeys();
    }

    synchronized Map<String, SecretKey> hubKeys() {
        if (hubKeys == null) {
            Map<String, SecretKey> keys = new HashMap<>();
            config.hubKeys().forEach((id, b64) -> keys.put(id, Envelope.key(Base64.getDecoder().decode(b64.strip()))));
            if (!keys.containsKey(config.currentHubKey())) {
                throw new IllegalStateException("tandem.case-files.current-hub-key names no key in tandem.case-files.hub-keys");
            }
            hubKeys = Map.copyOf(keys);
        }
        return hubKeys;
    }

    @Transactional
    public Status upload(UUID caller, UUID id, String subject, String jwe) {
        Referral r = lockAndLoad(caller, id); // a concurrent cancellation must not miss the file stored here
        UUID receiver = r.parties().receiver();
        if (!r.parties().sender().equals(caller)) {
            denied("case-file.upload", r);
            throw ProblemException.forbidden("Only the sending organisation can upload the case file.");
        }
        if (jwe == null || jwe.isBlank()) {
            throw ProblemException.invalidField("jwe", "must be the case file as a compact JWE");
        }
        if (jwe.length() > config.maxBytes()) {
            throw new ProblemException(Problem.of(413, "payload-too-large", "Request too large",
                    "A case file may have at most " + config.maxBytes() + " bytes (limit case-file-size, tandem.case-files.max-bytes).")
                    .withLimit("case-file-size", config.maxBytes()));
        }
        CaseFileHeader header = header(jwe.strip());
        Instant now = clock.instant();
        if (!header.referralId().equals(id)) {
            throw ProblemException.invalidField("jwe.header.tandem-referral", "must be this referral's id");
        }
        KnownOrganisationKey key = KnownOrganisationKey.findById(header.kid());
        if (key == null || !key.organisationId.equals(receiver) || !"ENCRYPTION".equals(key.use) || !key.validAt(now)) {
            throw Problems.unprocessable("jwe.header.kid", "is not a current encryption key of the receiving organisation", "unknown-key",
                    "The file is not encrypted to a current encryption key of the receiving organisation. Fetch its keys from the registry and encrypt again.");
        }
        CaseFilePolicy.uploadRefusal(r).ifPresent(reason -> {
            throw ProblemException.conflict("case-file-closed", reason);
        });
        Set<Consent.DataCategory> categories = categories(header.dataCategories());
        CaseFilePolicy.consentRefusal(r, categories, now).ifPresent(reason -> {
            throw consentRequired("jwe.header.tandem-data-categories", reason);
        });
        if (CaseFileEntity.findById(id) != null) {
            throw ProblemException.conflict("case-file-exists", "This referral already has a case file.");
        }
        SecretKey dataKey = Envelope.newDataKey();
        CaseFileEntity f = new CaseFileEntity();
        f.referralId = id;
        f.sealed = Envelope.seal(dataKey, jwe.strip().getBytes(StandardCharsets.US_ASCII), fileAad(id));
        f.receiverKid = header.kid();
        f.dataCategories = categories.stream().map(Enum::name).sorted().toArray(String[]::new);
        f.sizeBytes = jwe.strip().length();
        f.uploadedAt = now;
        f.uploadedBy = subject;
        f.persist();
        CaseFileKeyEntity k = new CaseFileKeyEntity();
        k.referralId = id;
        k.hubKeyId = config.currentHubKey();
        k.wrappedKey = Envelope.wrap(hubKeys().get(k.hubKeyId), dataKey, keyAad(id, k.hubKeyId));
        k.persist();
        audit.allowed("case-file.upload", "referral", id, r.parties().sender(), receiver);
        LOG.infof("case file stored for referral %s: %d bytes, receiver kid %s", id, f.sizeBytes, f.receiverKid);
        return status(f, r);
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
        if (!r.parties().receiver().equals(caller)) {
            denied("case-file.release", r);
            throw ProblemException.forbidden("Only the receiving organisation can fetch the case file.");
        }
        CaseFileEntity f = CaseFileEntity.findById(id);
        if (f == null) {
            throw ProblemException.notFound("case file");
        }
        if (f.shreddedAt != null) {
            denied("case-file.release", r);
            throw new ProblemException(Problem.of(410, "case-file-destroyed", "The case file no longer exists",
                    "The hub destroyed this case file's key when the referral ended or the survivor withdrew her consent."));
        }
        Optional<String> refusal = CaseFilePolicy.releaseRefusal(r);
        if (refusal.isPresent()) {
            denied("case-file.release", r);
            throw ProblemException.conflict("case-file-not-released", refusal.get());
        }
        Set<Consent.DataCategory> categories = EnumSet.noneOf(Consent.DataCategory.class);
        Arrays.stream(f.dataCategories).map(Consent.DataCategory::valueOf).forEach(categories::add);
        Optional<String> consent = CaseFilePolicy.consentRefusal(r, categories, clock.instant());
        if (consent.isPresent()) {
            denied("case-file.release", r);
            throw consentRequired("consent", consent.get());
        }
        CaseFileKeyEntity k = CaseFileKeyEntity.findById(id);
        SecretKey hubKey = hubKeys().get(k.hubKeyId);
        if (hubKey == null) {
            throw new IllegalStateException("the hub key that wrapped this data key is no longer configured");
        }
        SecretKey dataKey = Envelope.unwrap(hubKey, k.wrappedKey, keyAad(id, k.hubKeyId));
        String jwe = new String(Envelope.open(dataKey, f.sealed, fileAad(id)), StandardCharsets.US_ASCII);
        if (f.firstReleasedAt == null) {
            f.firstReleasedAt = clock.instant();
        }
        f.releaseCount++;
        audit.allowed("case-file.release", "referral", id, r.parties().sender(), r.parties().receiver());
        LOG.infof("case file of referral %s released to the receiver (release %d)", id, f.releaseCount);
        return jwe;
    }

    /** The file's metadata and the deletion receipt's state, for either party. */
    @Transactional
    public Status status(UUID caller, UUID id) {
        Referral r = load(caller, id);
        CaseFileEntity f = CaseFileEntity.findById(id);
        if (f == null) {
            throw ProblemException.notFound("case file");
        }
        return status(f, r);
    }

    /**
     * Accepts the receiver's signed deletion receipt for a withdrawn referral, verified against the
     * signature key it published in the registry.
     */
    @Transactional
    public Status acceptReceipt(UUID caller, UUID id, String subject, String compact, String bearerToken) {
        Referral r = load(caller, id);
        if (!r.parties().receiver().equals(caller)) {
            denied("case-file.deletion-receipt", r);
            throw ProblemException.forbidden("Only the receiving organisation gives a deletion receipt.");
        }
        CaseFileEntity f = CaseFileEntity.findById(id);
        if (f == null) {
            throw ProblemException.notFound("case file");
        }
        if (!(r instanceof Referral.Withdrawn)) {
            throw ProblemException.conflict("not-withdrawn", "A deletion receipt is given after the survivor withdraws her consent; this referral is "
                    + r.status() + ".");
        }
        DeletionReceipt parsed = receipt(compact);
        if (!parsed.referralId().equals(id)) {
            throw ProblemException.invalidField("receipt.claims.tandem-referral", "must be this referral's id");
        }
        if (!parsed.organisationId().equals(caller)) {
            throw ProblemException.invalidField("receipt.claims.iss", "must be your organisation's id");
        }
        if (parsed.purgedAt().isAfter(clock.instant().plusSeconds(300))) {
            throw ProblemException.invalidField("receipt.claims.purged_at", "must not be in the future");
        }
        if (DeletionReceiptEntity.findById(id) != null) {
            throw ProblemException.conflict("receipt-exists", "This referral already has a deletion receipt.");
        }
        KnownOrganisationKey known = KnownOrganisationKey.findById(parsed.kid());
        ECKey key = known != null && known.organisationId.equals(caller) && "SIGNATURE".equals(known.use)
                ? registryKeys.signatureKey(caller, parsed.kid(), bearerToken).orElse(null)
                : null;
        if (key == null) {
            throw Problems.unprocessable("receipt.header.kid", "is not a published signature key of your organisation", "unknown-key",
                    "The receipt is not signed with a signature key your organisation has published in the registry.");
        }
        try {
            DeletionReceipt.verify(compact.strip(), key);
        } catch (CaseFileFormatException e) {
            throw Problems.unprocessable("receipt", "signature does not verify", "invalid-signature",
                    "The receipt's signature does not verify with the key it names.");
        }
        DeletionReceiptEntity e = new DeletionReceiptEntity();
        e.referralId = id;
        e.receipt = parsed.compact();
        e.signerKid = parsed.kid();
        e.purgedAt = parsed.purgedAt();
        e.receivedAt = clock.instant();
        e.receivedBy = subject;
        e.persist();
        audit.allowed("case-file.deletion-receipt", "referral", id, r.parties().sender(), r.parties().receiver());
        return status(f, r);
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
        audit.allowed("case-file.shred", "referral", r.id(), r.parties().sender(), r.parties().receiver());
        LOG.infof("case file of referral %s shredded on %s", r.id(), r.status());
    }

    /**
     * The referral if the caller's organisation is a party to it, the same 404 otherwise. Not
     * {@link ReferralService#read}: that audits a read of the referral, while these requests audit their own
     * case-file entries (and a denial, written in its own transaction, must not wait on this one's audit lock).
     */
    private Referral load(UUID caller, UUID id) {
        ReferralEntity e = referrals.loadForParty(caller, id);
        return ReferralMapper.toDomain(e, ConsentEntity.findById(id));
    }

    /**
     * {@link #load} under the referral's row lock ({@code SELECT ... FOR UPDATE}, read again), held until this
     * transaction ends. A transition's update of the referral (withdrawal, cancellation, decline, which shred in
     * the same transaction) waits for it, and this waits for a transition that got there first; state, consent and
     * case file are read after the lock, so they are what the last committed transition left. PostgreSQL does
     * the ordering, so it holds across several instances of the service.
     */
    private Referral lockAndLoad(UUID caller, UUID id) {
        ReferralEntity e = referrals.loadForParty(caller, id);
        em.refresh(e, LockModeType.PESSIMISTIC_WRITE);
        return ReferralMapper.toDomain(e, ConsentEntity.findById(id));
    }

    private Status status(CaseFileEntity f, Referral r) {
        DeletionReceiptEntity receipt = DeletionReceiptEntity.findById(f.referralId);
        ReceiptState state = receipt != null ? ReceiptState.RECEIVED
                : CaseFilePolicy.receiptOwed(r, f.firstReleasedAt != null) ? ReceiptState.MISSING : ReceiptState.NOT_REQUIRED;
        return new Status(f.referralId, f.sizeBytes, Set.of(f.dataCategories), f.receiverKid, f.uploadedAt, f.firstReleasedAt,
                f.releaseCount, f.shreddedAt, state, receipt);
    }

    private void denied(String action, Referral r) {
        audit.denied(action, "referral", r.id(), r.parties().sender(), r.parties().receiver());
    }

    private static CaseFileHeader header(String jwe) {
        try {
            return CaseFileHeader.parse(jwe);
        } catch (CaseFileFormatException e) {
            throw ProblemException.invalidField(e.field(), e.getMessage());
        }
    }

    private static DeletionReceipt receipt(String compact) {
        try {
            return DeletionReceipt.parse(compact);
        } catch (CaseFileFormatException e) {
            throw ProblemException.invalidField(e.field(), e.getMessage());
        }
    }

    private static Set<Consent.DataCategory> categories(Set<DataCategory> declared) {
        Set<Consent.DataCategory> out = EnumSet.noneOf(Consent.DataCategory.class);
        declared.forEach(c -> out.add(Consent.DataCategory.valueOf(c.name())));
        return out;
    }

    private static ProblemException consentRequired(String field, String reason) {
        return Problems.unprocessable(field, reason, "consent-required", "Valid consent is required",
                "The survivor's consent does not allow this transfer: " + reason + ".");
    }

    private static byte[] fileAad(UUID referral) {
        return ("tandem-case-file:" + referral).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] keyAad(UUID referral, String hubKeyId) {
        return ("tandem-data-key:" + referral + ":" + hubKeyId).getBytes(StandardCharsets.US_ASCII);
    }
}
