package org.tandem.client;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeletionReceiptTest {

    static final OrganisationKeys RECEIVER = OrganisationKeys.generate();

    @Test
    void a_signed_receipt_verifies_with_the_published_key() {
        UUID org = UUID.randomUUID();
        UUID referral = UUID.randomUUID();
        Instant purged = Instant.parse("2026-11-20T10:15:30Z");
        String compact = DeletionReceipt.sign(org, referral, purged, RECEIVER.signature());

        DeletionReceipt parsed = DeletionReceipt.parse(compact);
        assertThat(parsed.kid()).isEqualTo(RECEIVER.signature().getKeyID());
        DeletionReceipt r = DeletionReceipt.verify(compact, RECEIVER.signature().toPublicJWK());
        assertThat(r.organisationId()).isEqualTo(org);
        assertThat(r.referralId()).isEqualTo(referral);
        assertThat(r.purgedAt()).isEqualTo(purged);
    }

    @Test
    void a_receipt_signed_by_another_key_does_not_verify() {
        String compact = DeletionReceipt.sign(
                UUID.randomUUID(),
                UUID.randomUUID(),
                Instant.now(),
                OrganisationKeys.generate().signature());
        var otherWithSameKid = new com.nimbusds.jose.jwk.ECKey.Builder(
                        RECEIVER.signature().toPublicJWK())
                .keyID(DeletionReceipt.parse(compact).kid())
                .build();
        assertThatThrownBy(() -> DeletionReceipt.verify(compact, otherWithSameKid))
                .isInstanceOf(CaseFileFormatException.class)
                .hasMessageContaining("does not verify");
        assertThatThrownBy(() ->
                        DeletionReceipt.verify(compact, RECEIVER.signature().toPublicJWK()))
                .isInstanceOf(CaseFileFormatException.class)
                .extracting("field")
                .isEqualTo("receipt.header.kid");
    }

    @Test
    void malformed_receipts_name_the_field() {
        assertThatThrownBy(() -> DeletionReceipt.parse("")).extracting("field").isEqualTo("receipt");
        assertThatThrownBy(() -> DeletionReceipt.parse("x".repeat(9000)))
                .extracting("field")
                .isEqualTo("receipt");
        assertThatThrownBy(() -> DeletionReceipt.parse("a.b"))
                .extracting("field")
                .isEqualTo("receipt");
        // an unsigned JWT ("alg":"none") is not a receipt
        String none = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.";
        assertThatThrownBy(() -> DeletionReceipt.parse(none)).isInstanceOf(CaseFileFormatException.class);
        // HS256 is refused: only the organisation's ES256 key may sign
        String hs =
                "eyJhbGciOiJIUzI1NiIsInR5cCI6InRhbmRlbS1kZWxldGlvbi1yZWNlaXB0K2p3dCIsImtpZCI6ImsifQ.eyJpc3MiOiJ4In0.c2ln";
        assertThatThrownBy(() -> DeletionReceipt.parse(hs)).extracting("field").isEqualTo("receipt.header.alg");
    }
}
