package org.tandem.platform.audit;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.junit.jupiter.api.Test;

import org.tandem.platform.audit.AuditEntry.Outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The audit chain's hash and the anchor signatures, without a database. */
class AuditChainTest {

    private static final Instant AT = Instant.parse("2030-01-02T03:04:05.123456Z");
    private static final UUID ORG = UUID.fromString("00000000-0000-4000-8000-000000000001");

    private static String base(String prev) {
        return AuditLog.hash(
                prev, AT, "subject-1", ORG, "referral.accept", "referral", "r-1", new UUID[] {ORG}, Outcome.ALLOWED);
    }

    @Test
    void every_field_and_the_previous_hash_change_the_hash() {
        String h = base(AuditLog.GENESIS);
        assertThat(h).matches("[0-9a-f]{64}").isEqualTo(base(AuditLog.GENESIS));
        Set<String> variants = new HashSet<>(Set.of(h));
        variants.add(base("1".repeat(64)));
        variants.add(AuditLog.hash(
                AuditLog.GENESIS,
                AT.plusNanos(1000),
                "subject-1",
                ORG,
                "referral.accept",
                "referral",
                "r-1",
                new UUID[] {ORG},
                Outcome.ALLOWED));
        variants.add(AuditLog.hash(
                AuditLog.GENESIS,
                AT,
                "subject-2",
                ORG,
                "referral.accept",
                "referral",
                "r-1",
                new UUID[] {ORG},
                Outcome.ALLOWED));
        variants.add(AuditLog.hash(
                AuditLog.GENESIS,
                AT,
                "subject-1",
                null,
                "referral.accept",
                "referral",
                "r-1",
                new UUID[] {ORG},
                Outcome.ALLOWED));
        variants.add(AuditLog.hash(
                AuditLog.GENESIS,
                AT,
                "subject-1",
                ORG,
                "referral.decline",
                "referral",
                "r-1",
                new UUID[] {ORG},
                Outcome.ALLOWED));
        variants.add(AuditLog.hash(
                AuditLog.GENESIS,
                AT,
                "subject-1",
                ORG,
                "referral.accept",
                "case-file",
                "r-1",
                new UUID[] {ORG},
                Outcome.ALLOWED));
        variants.add(AuditLog.hash(
                AuditLog.GENESIS,
                AT,
                "subject-1",
                ORG,
                "referral.accept",
                "referral",
                "r-2",
                new UUID[] {ORG},
                Outcome.ALLOWED));
        variants.add(AuditLog.hash(
                AuditLog.GENESIS,
                AT,
                "subject-1",
                ORG,
                "referral.accept",
                "referral",
                "r-1",
                new UUID[0],
                Outcome.ALLOWED));
        variants.add(AuditLog.hash(
                AuditLog.GENESIS,
                AT,
                "subject-1",
                ORG,
                "referral.accept",
                "referral",
                "r-1",
                new UUID[] {ORG},
                Outcome.DENIED));
        assertThat(variants).hasSize(10);
    }

    @Test
    void moving_text_between_fields_changes_the_hash() {
        // each part is length-prefixed, so "ab"+"c" and "a"+"bc" differ
        assertThat(AuditLog.hash(AuditLog.GENESIS, AT, "ab", null, "c", "t", null, new UUID[0], Outcome.ALLOWED))
                .isNotEqualTo(
                        AuditLog.hash(AuditLog.GENESIS, AT, "a", null, "bc", "t", null, new UUID[0], Outcome.ALLOWED));
    }

    @Test
    void an_anchor_verifies_with_its_key_and_nothing_else_does() throws Exception {
        AnchorKey key = AnchorKey.parse(
                new ECKeyGenerator(Curve.P_256).keyID("k1").generate().toJSONString());
        AnchorKey other = AnchorKey.parse(
                new ECKeyGenerator(Curve.P_256).keyID("k1").generate().toJSONString());
        var anchor = key.sign("referral-service", new AuditLog.Head(42, base(AuditLog.GENESIS)), AT);
        var back = key.verify(anchor.jws(), "referral-service").orElseThrow();
        assertThat(back.seq()).isEqualTo(42);
        assertThat(back.hash()).isEqualTo(anchor.hash());
        assertThat(back.signedAt()).isEqualTo(AT);
        assertThat(other.verify(anchor.jws(), "referral-service"))
                .as("another key with the same kid")
                .isEmpty();
        assertThat(key.verify(anchor.jws(), "registry-service"))
                .as("another service's name")
                .isEmpty();
        String[] parts = anchor.jws().split("\\.");
        var forged = other.sign("referral-service", new AuditLog.Head(43, base("2".repeat(64))), AT);
        String spliced = parts[0] + "." + forged.jws().split("\\.")[1] + "." + parts[2];
        assertThat(key.verify(spliced, "referral-service"))
                .as("another payload under the same signature")
                .isEmpty();
        assertThat(key.verify("not a jws", "referral-service")).isEmpty();
        assertThat(key.publicJwk()).doesNotContain("\"d\"");
    }

    @Test
    void a_key_that_is_not_a_private_p256_jwk_with_a_kid_is_refused_without_showing_it() throws Exception {
        var pub = new ECKeyGenerator(Curve.P_256)
                .keyID("k1")
                .generate()
                .toPublicJWK()
                .toJSONString();
        var noKid = new ECKeyGenerator(Curve.P_256).generate().toJSONString();
        var p384 = new ECKeyGenerator(Curve.P_384).keyID("k1").generate().toJSONString();
        for (String bad : new String[] {pub, noKid, p384, "secret-value", ""}) {
            assertThatThrownBy(() -> AnchorKey.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("TANDEM_AUDIT_ANCHOR_KEY")
                    .message()
                    .doesNotContain("secret-value");
        }
    }
}
