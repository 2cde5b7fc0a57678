package org.tandem.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.util.JSONObjectUtils;

import org.tandem.client.CaseFiles;
import org.tandem.client.DataCategory;
import org.tandem.client.KeyFingerprint;
import org.tandem.client.OrganisationKeys;

/**
 * Writes {@code java-sealed.json}: a case file sealed by tandem-client with fresh keys, for the vitest tests of
 * {@code crypto.ts} to open (app/test/crypto.test.ts), and the receiver's keys they seal their own file to, which
 * {@link CaseFileFormatTest} then opens with tandem-client. The build runs it before vitest (web/pom.xml). The
 * content is a fixed sentence with no personal data; the keys and ids are new at every build.
 */
public final class CaseFileFixture {

    /** The file's content: no personal data. */
    static final String CONTENT = "Tandem case-file fixture from tandem-client: no personal data. Ünïcödé ✓";

    private CaseFileFixture() {}

    public static void main(String[] args) throws IOException, java.text.ParseException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        OrganisationKeys sender = OrganisationKeys.generate();
        OrganisationKeys receiver = OrganisationKeys.generate();
        UUID referral = UUID.randomUUID();
        UUID senderOrg = UUID.randomUUID();
        UUID receiverOrg = UUID.randomUUID();
        // declared out of order: both sides list the categories in the protocol's order
        Set<DataCategory> categories = Set.of(DataCategory.HEALTH, DataCategory.IDENTITY);
        String jwe = CaseFiles.seal(
                CONTENT.getBytes(StandardCharsets.UTF_8),
                referral,
                categories,
                senderOrg,
                receiverOrg,
                sender.signature(),
                receiver.encryption());

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("referralId", referral.toString());
        out.put("sender", senderOrg.toString());
        out.put("receiver", receiverOrg.toString());
        out.put("dataCategories", List.of("IDENTITY", "HEALTH"));
        out.put("content", CONTENT);
        out.put("jwe", jwe);
        out.put("senderPublicKeys", JSONObjectUtils.parse(sender.toPublicJwkSet()));
        out.put("receiverPrivateKeys", JSONObjectUtils.parse(receiver.toPrivateJwkSet()));
        out.put(
                "fingerprints",
                Map.of(
                        receiver.encryption().getKeyID(), KeyFingerprint.of(receiver.encryption()),
                        sender.signature().getKeyID(), KeyFingerprint.of(sender.signature())));
        Files.writeString(dir.resolve("java-sealed.json"), JSONObjectUtils.toJSONString(out));
    }
}
