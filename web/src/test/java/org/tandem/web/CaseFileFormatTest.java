package org.tandem.web;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.client.CaseFileFormatException;
import org.tandem.client.CaseFiles;
import org.tandem.client.DataCategory;
import org.tandem.client.DeletionReceipt;
import org.tandem.client.OrganisationKeys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The other direction of the round trip with {@code crypto.ts}: tandem-client opens the case file and verifies
 * the deletion receipt that the vitest tests made with the browser's code ({@code ts-sealed.json}, written by
 * app/test/crypto.test.ts, which the build runs before this test; web/pom.xml), and the file that tandem-client
 * sealed and the browser's code passed on to a next organisation of her pathway ({@code ts-passed-on.json}).
 */
class CaseFileFormatTest {

    static Map<String, Object> java;
    static Map<String, Object> ts;
    static Map<String, Object> passedOn;

    @BeforeAll
    static void read() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("webtest.skipNpm"), "the npm steps (and vitest) were skipped");
        Path dir = Path.of(System.getProperty("webtest.fixtures", "target/crypto-fixtures"));
        java = JSONObjectUtils.parse(Files.readString(dir.resolve("java-sealed.json")));
        ts = JSONObjectUtils.parse(Files.readString(dir.resolve("ts-sealed.json")));
        passedOn = JSONObjectUtils.parse(Files.readString(dir.resolve("ts-passed-on.json")));
    }

    private static ECKey senderSignatureKey() throws Exception {
        JWKSet published =
                JWKSet.parse(JSONObjectUtils.toJSONString(JSONObjectUtils.getJSONObject(ts, "senderPublicKeys")));
        return OrganisationKeys.current(published, KeyUse.SIGNATURE).orElseThrow();
    }

    private static ECKey receiverEncryptionKey() throws Exception {
        return OrganisationKeys.fromPrivateJwkSet(
                        JSONObjectUtils.toJSONString(JSONObjectUtils.getJSONObject(java, "receiverPrivateKeys")))
                .encryption();
    }

    @Test
    void tandem_client_opens_the_file_the_browser_code_sealed_and_verifies_its_signature() throws Exception {
        ECKey sig = senderSignatureKey();
        CaseFiles.Opened opened = CaseFiles.open(
                (String) ts.get("jwe"), receiverEncryptionKey(), kid -> kid.equals(sig.getKeyID()) ? sig : null);
        assertArrayEquals(((String) ts.get("content")).getBytes(StandardCharsets.UTF_8), opened.content());
        assertEquals(UUID.fromString((String) ts.get("referralId")), opened.referralId());
        assertEquals(UUID.fromString((String) ts.get("sender")), opened.sender());
        assertEquals(UUID.fromString((String) ts.get("receiver")), opened.receiver());
        assertEquals(EnumSet.of(DataCategory.CONTACT, DataCategory.DOCUMENTS), opened.dataCategories());
        assertEquals(sig.getKeyID(), opened.senderKid());
    }

    @Test
    void a_file_changed_on_its_way_or_signed_with_an_unpublished_key_does_not_open() throws Exception {
        String jwe = (String) ts.get("jwe");
        String[] parts = jwe.split("\\.");
        char c = parts[3].charAt(10);
        parts[3] = parts[3].substring(0, 10) + (c == 'A' ? 'B' : 'A') + parts[3].substring(11);
        String changed = String.join(".", parts);
        ECKey sig = senderSignatureKey();
        assertThrows(CaseFileFormatException.class, () -> CaseFiles.open(changed, receiverEncryptionKey(), kid -> sig));
        assertThrows(CaseFileFormatException.class, () -> CaseFiles.open(jwe, receiverEncryptionKey(), kid -> null));
    }

    @Test
    void tandem_client_verifies_the_deletion_receipt_the_browser_code_signed() throws Exception {
        // the vitest tests sign it with the one key file they made, for the organisation in "sender"
        DeletionReceipt receipt = DeletionReceipt.verify((String) ts.get("receipt"), senderSignatureKey());
        assertEquals(UUID.fromString((String) ts.get("sender")), receipt.organisationId());
        assertEquals(UUID.fromString((String) ts.get("referralId")), receipt.referralId());
        assertEquals(Instant.parse((String) ts.get("purgedAt")), receipt.purgedAt());
    }

    @Test
    void tandem_client_opens_a_file_the_browser_code_passed_on_signed_by_the_holder_with_only_the_covered_category()
            throws Exception {
        // the holder is the receiver of the file tandem-client sealed (java-sealed.json); its keys signed the new file
        OrganisationKeys holder = OrganisationKeys.fromPrivateJwkSet(
                JSONObjectUtils.toJSONString(JSONObjectUtils.getJSONObject(java, "receiverPrivateKeys")));
        OrganisationKeys next = OrganisationKeys.fromPrivateJwkSet(
                JSONObjectUtils.toJSONString(JSONObjectUtils.getJSONObject(passedOn, "nextPrivateKeys")));
        ECKey holderSig = holder.signature().toPublicJWK();
        CaseFiles.Opened opened = CaseFiles.open(
                (String) passedOn.get("jwe"),
                next.encryption(),
                kid -> kid.equals(holderSig.getKeyID()) ? holderSig : null);
        assertArrayEquals(((String) passedOn.get("content")).getBytes(StandardCharsets.UTF_8), opened.content());
        assertEquals(UUID.fromString((String) passedOn.get("referralId")), opened.referralId());
        assertEquals(UUID.fromString((String) java.get("receiver")), opened.sender());
        assertEquals(UUID.fromString((String) passedOn.get("nextReceiver")), opened.receiver());
        assertEquals(EnumSet.of(DataCategory.IDENTITY), opened.dataCategories());
        // the first sender did not sign it
        ECKey firstSender = OrganisationKeys.current(
                        JWKSet.parse(
                                JSONObjectUtils.toJSONString(JSONObjectUtils.getJSONObject(java, "senderPublicKeys"))),
                        KeyUse.SIGNATURE)
                .orElseThrow();
        assertThrows(
                CaseFileFormatException.class,
                () -> CaseFiles.open((String) passedOn.get("jwe"), next.encryption(), kid -> firstSender));
    }
}
