package org.tandem.referral.mapping;

import java.util.Set;

import org.tandem.referral.application.CaseFileStatus;
import org.tandem.referral.domain.CaseFilePolicy;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.persistence.CaseFileEntity;
import org.tandem.referral.persistence.DeletionReceiptEntity;

/** A stored case file and its deletion receipt as the status a party sees. */
public final class CaseFileStatuses {

    private CaseFileStatuses() {}

    /** @param receipt the stored deletion receipt, or null */
    public static CaseFileStatus of(CaseFileEntity f, DeletionReceiptEntity receipt, Referral r) {
        CaseFileStatus.ReceiptState state = receipt != null
                ? CaseFileStatus.ReceiptState.RECEIVED
                : CaseFilePolicy.receiptOwed(r, f.firstReleasedAt != null)
                        ? CaseFileStatus.ReceiptState.MISSING
                        : CaseFileStatus.ReceiptState.NOT_REQUIRED;
        CaseFileStatus.Receipt given = receipt == null
                ? null
                : new CaseFileStatus.Receipt(receipt.purgedAt, receipt.receivedAt, receipt.signerKid, receipt.receipt);
        return new CaseFileStatus(
                f.referralId,
                f.sizeBytes,
                Set.of(f.dataCategories),
                f.receiverKid,
                f.uploadedAt,
                f.firstReleasedAt,
                f.releaseCount,
                f.shreddedAt,
                state,
                given);
    }
}
