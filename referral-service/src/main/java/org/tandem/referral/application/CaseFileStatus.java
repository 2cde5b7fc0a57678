package org.tandem.referral.application;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * What a party sees about a referral's case file; never its content.
 *
 * @param receipt the receiver's deletion receipt, once given
 */
public record CaseFileStatus(
        UUID referralId,
        int sizeBytes,
        Set<String> dataCategories,
        String receiverKid,
        Instant uploadedAt,
        Instant firstReleasedAt,
        int releaseCount,
        Instant shreddedAt,
        ReceiptState receiptState,
        Receipt receipt) {

    /** Whether the receiver has confirmed purging the file. */
    public enum ReceiptState {
        /** No receipt is owed: the survivor has not withdrawn, or the file never reached the receiver. */
        NOT_REQUIRED,
        /** She withdrew after the receiver fetched the file, and the receiver has not confirmed its purge. */
        MISSING,
        RECEIVED
    }

    /** @param compact the receiver's compact JWS, so that the sender can verify it against the registry itself */
    public record Receipt(Instant purgedAt, Instant receivedAt, String signerKid, String compact) {}
}
