package org.tandem.referral.rest;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.tandem.referral.application.CaseFileStatus;

/**
 * What either party sees about a referral's case file: its metadata, never its content, and whether the
 * receiver has confirmed purging it after the survivor withdrew her consent.
 */
public record CaseFileView(
        UUID referralId,
        int sizeBytes,
        Set<String> dataCategories,
        String receiverKid,
        Instant uploadedAt,
        Instant firstReleasedAt,
        int releaseCount,
        Instant shreddedAt,
        DeletionReceiptView deletionReceipt) {

    /**
     * @param status NOT_REQUIRED, MISSING or RECEIVED
     * @param receipt the receiver's compact JWS, so that the sender can verify it against the registry itself
     */
    public record DeletionReceiptView(
            String status, Instant purgedAt, Instant receivedAt, String signerKid, String receipt) {}

    static CaseFileView of(CaseFileStatus s) {
        var r = s.receipt();
        var receipt = r == null
                ? new DeletionReceiptView(s.receiptState().name(), null, null, null, null)
                : new DeletionReceiptView(
                        s.receiptState().name(), r.purgedAt(), r.receivedAt(), r.signerKid(), r.compact());
        return new CaseFileView(
                s.referralId(),
                s.sizeBytes(),
                new java.util.TreeSet<>(s.dataCategories()),
                s.receiverKid(),
                s.uploadedAt(),
                s.firstReleasedAt(),
                s.releaseCount(),
                s.shreddedAt(),
                receipt);
    }
}
