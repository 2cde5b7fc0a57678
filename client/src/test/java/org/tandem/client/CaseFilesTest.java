package org.tandem.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.jwk.ECKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaseFilesTest {

    static final OrganisationKeys SENDER = OrganisationKeys.generate();
    static final OrganisationKeys RECEIVER = OrganisationKeys.generate();
    static final UUID SENDER_ORG = UUID.randomUUID();
    static final UUID RECEIVER_ORG = UUID.randomUUID();
    static final byte[] CONTENT = "Case notes (test fixture) marker-7f3a".getBytes(StandardCharsets.UTF_8);

    static ECKey senderKeys(String kid) {
        return kid.equals(SENDER.signature().getKeyID()) ? SENDER.signature().toPublicJWK() : null;
    }

    static String seal(UUID referral) {
        return CaseFiles.seal(
                CONTENT,
                referral,
                EnumSet.of(DataCategory.HEALTH, DataCategory.IDENTITY),
                SENDER_ORG,
                RECEIVER_ORG,
                SENDER.signature(),
                RECEIVER.encryption().toPublicJWK());
    }

    @Test
    void a_sealed_file_opens_with_the_receivers_key_and_the_senders_signature_verifies() {
        UUID referral = UUID.randomUUID();
        String jwe = seal(referral);

        assertThat(jwe).doesNotContain("marker-7f3a");
        CaseFileHeader header = CaseFileHeader.parse(jwe);
        assertThat(header.kid()).isEqualTo(RECEIVER.encryption().getKeyID());
        assertThat(header.referralId()).isEqualTo(referral);
        assertThat(header.dataCategories()).containsExactlyInAnyOrder(DataCategory.HEALTH, DataCategory.IDENTITY);

        CaseFiles.Opened opened = CaseFiles.open(jwe, RECEIVER.encryption(), CaseFilesTest::senderKeys);
        assertThat(opened.content()).isEqualTo(CONTENT);
        assertThat(opened.sender()).isEqualTo(SENDER_ORG);
        assertThat(opened.receiver()).isEqualTo(RECEIVER_ORG);
        assertThat(opened.senderKid()).isEqualTo(SENDER.signature().getKeyID());
    }

    @Test
    void a_holder_passes_a_file_on_to_the_next_organisation_signed_by_itself_and_only_with_categories_it_received() {
        OrganisationKeys next = OrganisationKeys.generate();
        UUID nextOrg = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID onward = UUID.randomUUID();
        CaseFiles.Opened received = CaseFiles.open(seal(first), RECEIVER.encryption(), CaseFilesTest::senderKeys);

        String passed = CaseFiles.passOn(
                received,
                received.content(),
                EnumSet.of(DataCategory.IDENTITY),
                onward,
                RECEIVER_ORG,
                nextOrg,
                RECEIVER.signature(),
                next.encryption().toPublicJWK());
        assertThat(passed).doesNotContain("marker-7f3a");
        assertThat(CaseFileHeader.parse(passed).kid())
                .isEqualTo(next.encryption().getKeyID());
        // the holder cannot read it back: it is for the next organisation only
        assertThatThrownBy(() -> CaseFiles.open(passed, RECEIVER.encryption(), kid -> null))
                .isInstanceOf(CaseFileFormatException.class);
        CaseFiles.Opened opened = CaseFiles.open(
                passed,
                next.encryption(),
                kid -> kid.equals(RECEIVER.signature().getKeyID())
                        ? RECEIVER.signature().toPublicJWK()
                        : null);
        assertThat(opened.content()).isEqualTo(CONTENT);
        assertThat(opened.referralId()).isEqualTo(onward);
        assertThat(opened.sender()).isEqualTo(RECEIVER_ORG);
        assertThat(opened.dataCategories()).containsExactly(DataCategory.IDENTITY);

        // never more categories than it received, never by an organisation that does not hold it
        assertThatThrownBy(() -> CaseFiles.passOn(
                        received,
                        CONTENT,
                        EnumSet.of(DataCategory.IDENTITY, DataCategory.DOCUMENTS),
                        onward,
                        RECEIVER_ORG,
                        nextOrg,
                        RECEIVER.signature(),
                        next.encryption().toPublicJWK()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CaseFiles.passOn(
                        received,
                        CONTENT,
                        EnumSet.of(DataCategory.IDENTITY),
                        onward,
                        nextOrg,
                        nextOrg,
                        next.signature(),
                        next.encryption().toPublicJWK()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void another_organisations_key_cannot_open_it() {
        String jwe = seal(UUID.randomUUID());
        OrganisationKeys other = OrganisationKeys.generate();
        assertThatThrownBy(() -> CaseFiles.open(jwe, other.encryption(), CaseFilesTest::senderKeys))
                .isInstanceOf(CaseFileFormatException.class)
                .extracting("field")
                .isEqualTo("jwe.header.kid");
        // even a key that claims the receiver's kid cannot decrypt it
        ECKey impostor = new ECKey.Builder(other.encryption())
                .keyID(RECEIVER.encryption().getKeyID())
                .build();
        assertThatThrownBy(() -> CaseFiles.open(jwe, impostor, CaseFilesTest::senderKeys))
                .isInstanceOf(CaseFileFormatException.class)
                .extracting("field")
                .isEqualTo("jwe");
    }

    @Test
    void a_signature_by_an_unpublished_key_is_refused() {
        String jwe = seal(UUID.randomUUID());
        assertThatThrownBy(() -> CaseFiles.open(jwe, RECEIVER.encryption(), kid -> null))
                .isInstanceOf(CaseFileFormatException.class)
                .extracting("field")
                .isEqualTo("jws.header.kid");
        ECKey wrong = OrganisationKeys.generate().signature().toPublicJWK();
        assertThatThrownBy(() -> CaseFiles.open(
                        jwe,
                        RECEIVER.encryption(),
                        kid -> new ECKey.Builder(wrong).keyID(kid).build()))
                .isInstanceOf(CaseFileFormatException.class)
                .hasMessageContaining("signature does not verify");
    }

    @Test
    void a_tampered_ciphertext_is_refused() {
        String jwe = seal(UUID.randomUUID());
        String[] parts = jwe.split("\\.");
        char c = parts[3].charAt(5);
        parts[3] = parts[3].substring(0, 5) + (c == 'A' ? 'B' : 'A') + parts[3].substring(6);
        String tampered = String.join(".", parts);
        assertThatThrownBy(() -> CaseFiles.open(tampered, RECEIVER.encryption(), CaseFilesTest::senderKeys))
                .isInstanceOf(CaseFileFormatException.class)
                .extracting("field")
                .isEqualTo("jwe");
    }

    @Test
    void an_envelope_whose_declaration_differs_from_the_signed_one_is_refused() throws Exception {
        // re-encrypt the signed inner JWS under a header that declares fewer categories than were signed
        UUID referral = UUID.randomUUID();
        JWEObject original = JWEObject.parse(seal(referral));
        original.decrypt(new com.nimbusds.jose.crypto.ECDHDecrypter(RECEIVER.encryption()));
        JWEObject forged = new JWEObject(
                new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM)
                        .contentType("JOSE")
                        .keyID(RECEIVER.encryption().getKeyID())
                        .customParam(Protocol.REFERRAL_HEADER, referral.toString())
                        .customParam(Protocol.DATA_CATEGORIES_HEADER, java.util.List.of("IDENTITY"))
                        .build(),
                new Payload(original.getPayload().toString()));
        forged.encrypt(new ECDHEncrypter(RECEIVER.encryption().toPublicJWK()));
        assertThatThrownBy(() -> CaseFiles.open(forged.serialize(), RECEIVER.encryption(), CaseFilesTest::senderKeys))
                .isInstanceOf(CaseFileFormatException.class)
                .hasMessageContaining("differ");
    }

    @Test
    void header_checks_name_the_field() {
        String jwe = seal(UUID.randomUUID());
        assertField(null, "jwe");
        assertField("abc", "jwe");
        assertField("a.b.c.d", "jwe");
        assertField(jwe.replaceFirst("^[^.]*", "e30"), "jwe.header"); // {} has no alg
        assertField(withHeader(jwe, Map.of("alg", "RSA-OAEP-256", "enc", "A256GCM")), "jwe.header.alg");
        assertField(withHeader(jwe, Map.of("alg", "dir", "enc", "A256GCM")), "jwe.header.alg");
        assertField(withHeader(jwe, Map.of("alg", "ECDH-ES+A256KW", "enc", "A128CBC-HS256")), "jwe.header.enc");
        assertField(withHeader(jwe, Map.of("alg", "ECDH-ES+A256KW", "enc", "A256GCM", "zip", "DEF")), "jwe.header.zip");
        assertField(
                jwe.replaceFirst(
                        "^[^.]*", Base64.getUrlEncoder().withoutPadding().encodeToString("not json".getBytes())),
                "jwe.header");
        assertField(jwe.replaceFirst("\\.[^.]*\\.", ".."), "jwe.encrypted_key");
    }

    @Test
    void declared_categories_must_be_known_codes_each_once() {
        assertThatThrownBy(() -> CaseFileHeader.categories(java.util.List.of("HEALTH", "FAVOURITE_COLOUR"), "h"))
                .isInstanceOf(CaseFileFormatException.class)
                .extracting("field")
                .isEqualTo("h[1]");
        assertThatThrownBy(() -> CaseFileHeader.categories(java.util.List.of("HEALTH", "HEALTH"), "h"))
                .extracting("field")
                .isEqualTo("h[1]");
        assertThatThrownBy(() -> CaseFileHeader.categories(java.util.List.of(), "h"))
                .extracting("field")
                .isEqualTo("h");
        assertThatThrownBy(() -> CaseFileHeader.categories("HEALTH", "h"))
                .extracting("field")
                .isEqualTo("h");
        assertThat(CaseFileHeader.categories(java.util.List.of("CHILDREN"), "h"))
                .containsExactly(DataCategory.CHILDREN);
    }

    static String withHeader(String jwe, Map<String, String> header) {
        String json = header.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(java.util.stream.Collectors.joining(",", "{", "}"));
        return jwe.replaceFirst(
                "^[^.]*",
                Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
    }

    static void assertField(String jwe, String field) {
        assertThatThrownBy(() -> CaseFileHeader.parse(jwe))
                .isInstanceOf(CaseFileFormatException.class)
                .extracting("field")
                .isEqualTo(field);
    }
}
