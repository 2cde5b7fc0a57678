package org.tandem.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.PasswordBasedDecrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.util.Base64URL;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.client.CaseFileHeader;
import org.tandem.client.CaseFiles;
import org.tandem.client.DeletionReceipt;
import org.tandem.client.KeyFingerprint;
import org.tandem.client.OrganisationKeys;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.RunningServices;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web application in a real browser: Debian's Chromium, headless, driven by playwright-core from
 * {@code web/e2e/journeys.mjs}, against the three services and the web module running as real processes.
 * This class prepares six organisations and their users through the public APIs, then runs the journeys
 * and fails with their output when one fails. Skipped, with a message that says why, only when there is no
 * Chromium (set {@code TANDEM_CHROMIUM} to use another binary) or no node.
 */
class WebBrowserIT {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("TANDEM_CHROMIUM", "/usr/bin/chromium"));

    static RunningServices services;
    static KeycloakRealm realm;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM),
                "SKIPPED: no Chromium at " + CHROMIUM
                        + ", so the browser tests cannot run. Install Debian's chromium (apt-get install -y chromium) or set TANDEM_CHROMIUM.");
        Assumptions.assumeTrue(which("node"), "SKIPPED: no node on the PATH, so the browser tests cannot run.");
        services = RunningServices.start();
        assertThat(services.webRunning())
                .as("the web module's jar is built (web/target/quarkus-app)")
                .isTrue();
        realm = KeycloakRealm.get();
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
    }

    static boolean which(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    static String apply(TestOrganisation org, String name) {
        String profile = """
                {"name":"%s","description":"Browser test organisation","country":"%s",
                 "services":["SAFE_ACCOMMODATION","PSYCHOLOGICAL_SUPPORT","LEGAL_ASSISTANCE"],"languages":["eng","pcm","deu"],
                 "eligibility":{"womenOnly":true,"acceptsMinors":false,"minAge":18,"maxAge":null,"acceptsWomenWithChildren":true},
                 "capacity":{"available":3,"maximum":12,"unit":"BEDS"}}""".formatted(name, org.country());
        Members.apply(services, org, profile);
        return name;
    }

    static void approve(TestOrganisation org) {
        Members.approve(services, realm, org);
    }

    /** Waits until referral-service has learnt of the organisation, by a draft that a probe organisation creates. */
    static void awaitKnownToReferrals(TestOrganisation probe, TestOrganisation org) {
        String draft = """
                {"receiverOrganisationId":"%s","summary":{"urgency":"ROUTINE","requestedServices":["PEER_SUPPORT"],
                 "ageBand":"UNKNOWN","safetyRisk":"LOW"},"stage":"FIRST_ASSISTANCE"}""".formatted(org.id());
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> given().baseUri(services.referralUrl())
                                .auth()
                                .oauth2(probe.caseworkerToken())
                                .contentType(ContentType.JSON)
                                .body(draft)
                                .when()
                                .post("/api/v1/referrals")
                                .then()
                                .extract()
                                .statusCode()
                        == 201);
    }

    /**
     * A draft to RETURN_AND_REINTEGRATION that an organisation's own system made through the API, without the return
     * risk assessment or without her consent to return, for the browser to submit and show the refusal.
     */
    static String returnDraft(TestOrganisation from, TestOrganisation to, boolean assessed, boolean consentToReturn) {
        String body = """
                {"receiverOrganisationId":"%s","stage":"RETURN_AND_REINTEGRATION",%s
                 "summary":{"urgency":"ROUTINE","requestedServices":["SAFE_ACCOMMODATION"],"ageBand":"AGE_25_34","safetyRisk":"MODERATE"},
                 "consent":{"recipients":["%s"],"purposes":["REFERRAL"%s],"dataCategories":["IDENTITY"],
                  "givenAt":"%s","expiresAt":"%s","formLanguage":"eng","formVersion":"2026-1","interpreterPresent":false,
                  "method":"SIGNED_FORM"}}""".formatted(
                        to.id(),
                        assessed
                                ? "\"returnRiskAssessment\":{\"assessorRole\":\"RETURN_COUNSELLOR\",\"assessedOn\":\""
                                        + java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                                                .minusDays(2)
                                        + "\",\"outcomeLevel\":\"MEDIUM\"},"
                                : "",
                        to.id(),
                        consentToReturn ? ",\"RETURN\"" : "",
                        Instant.now().minusSeconds(3600),
                        Instant.now().plus(Duration.ofDays(60)));
        return given().baseUri(services.referralUrl())
                .auth()
                .oauth2(from.caseworkerToken())
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/referrals")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void the_web_application_in_chromium() throws Exception {
        String run = Long.toString(Instant.now().getEpochSecond(), 36);
        TestOrganisation sender = realm.createOrganisation("CY");
        TestOrganisation receiver = realm.createOrganisation("DE");
        TestOrganisation third = realm.createOrganisation("NG"); // her return: Cyprus, Germany, Nigeria
        TestOrganisation pending = realm.createOrganisation("FR");
        TestOrganisation probe = realm.createOrganisation("GR");
        TestOrganisation live = realm.createOrganisation("PT"); // applies while the coordinator watches
        live.adminToken(); // creates admin-<slug>
        String senderName = apply(sender, "Browser Sender " + run + " (test)");
        String receiverName = apply(receiver, "Browser Receiver " + run + " (test)");
        String thirdName = apply(third, "Browser Return " + run + " (test)");
        String pendingName = apply(pending, "Browser Applicant " + run + " (test)");
        String probeName = apply(probe, "Browser Probe " + run + " (test)");
        for (TestOrganisation o : new TestOrganisation[] {sender, receiver, third, probe}) {
            approve(o);
        }
        for (TestOrganisation o : new TestOrganisation[] {sender, receiver, third}) {
            awaitKnownToReferrals(probe, o);
        }
        realm.coordinatorToken(); // creates the coordinator user
        sender.caseworkerToken(); // and the sender's caseworker (cw-<slug>)
        receiver.caseworkerToken();
        Map<String, Object> fixture = Map.of(
                "password", KeycloakRealm.PASSWORD,
                "coordinator", "test-coordinator",
                "sender",
                        Map.of(
                                "id",
                                sender.id().toString(),
                                "name",
                                senderName,
                                "caseworker",
                                "cw-" + sender.slug(),
                                "admin",
                                "admin-" + sender.slug()),
                "receiver",
                        Map.of(
                                "id",
                                receiver.id().toString(),
                                "name",
                                receiverName,
                                "caseworker",
                                "cw-" + receiver.slug(),
                                "admin",
                                "admin-" + receiver.slug()),
                "third", user(third, thirdName),
                "probe", user(probe, probeName),
                "returnDrafts",
                        Map.of(
                                "withoutAssessment",
                                returnDraft(sender, receiver, false, true),
                                "withoutConsentToReturn",
                                returnDraft(sender, receiver, true, false)),
                "pending", Map.of("id", pending.id().toString(), "name", pendingName),
                "live",
                        Map.of(
                                "id",
                                live.id().toString(),
                                "name",
                                "Browser Live " + run + " (test)",
                                "country",
                                live.country(),
                                "admin",
                                "admin-" + live.slug()));
        Path dir = Files.createDirectories(Path.of("target/web-e2e"));
        Path fixtureFile = dir.resolve("fixture.json");
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Files.deleteIfExists(out.resolve("case-file.json"));
        Files.deleteIfExists(out.resolve("passed-on.json"));
        new ObjectMapper().writeValue(fixtureFile.toFile(), fixture);

        Path repo = RunningServices.repoRoot();
        ProcessBuilder pb = new ProcessBuilder("node", "e2e/journeys.mjs")
                .directory(repo.resolve("web").toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("journeys.log").toFile());
        pb.environment().put("TANDEM_WEB_URL", services.webUrl());
        pb.environment().put("TANDEM_E2E_FIXTURE", fixtureFile.toAbsolutePath().toString());
        pb.environment().put("TANDEM_CHROMIUM", CHROMIUM.toString());
        pb.environment().put("TANDEM_E2E_OUT", out.toAbsolutePath().toString());
        pb.environment()
                .put("TANDEM_SCREENSHOTS", repo.resolve("docs/screenshots").toString());
        Process p = pb.start();
        boolean finished = p.waitFor(6, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly();
        }
        String log = read(dir.resolve("journeys.log"));
        System.out.println(log);
        assertThat(finished).as("the journeys finish within 6 minutes").isTrue();
        assertThat(p.exitValue()).as("every browser journey passes:\n" + log).isZero();
        assertThat(log).contains("all journeys passed");
        caseFileIsCiphertextThatTandemClientOpens(out.resolve("case-file.json"), sender, receiver);
        passedOnFileOpensWithTandemClient(out.resolve("passed-on.json"), receiver, third, probe);
    }

    /**
     * The file the receiver's browser passed on to the third organisation of her pathway (her return to Nigeria), as
     * the hub released it to the third's browser: tandem-client opens it with the third's key file, finds it signed by
     * the receiver (the holder, with the key its browser published) for the onward referral, declaring only the
     * category her consent for the third covers, and holding only the part that went on. After her withdrawal on the
     * first referral the hub's copy of the onward file is destroyed (410 for the third), the holder sees the third's
     * deletion receipt, signed in the third's browser, which verifies with tandem-client against the third's published
     * key; and the organisation outside the pathway gets 404 for it.
     */
    static void passedOnFileOpensWithTandemClient(
            Path journeyOutput, TestOrganisation holder, TestOrganisation next, TestOrganisation outsider)
            throws Exception {
        JsonNode out = new ObjectMapper().readTree(journeyOutput.toFile());
        String stored = out.get("releasedJwe").asText();
        UUID onward = UUID.fromString(out.get("onwardReferralId").asText());
        assertThat(stored).doesNotContain(out.get("passedOn").asText());
        JWKSet holderPublished = published(next, holder);
        OrganisationKeys nextKeys = keyFile(out.get("nextKeyFile"), out.get("nextPassphrase"));
        CaseFiles.Opened opened = CaseFiles.open(
                stored,
                nextKeys.encryption(),
                kid -> OrganisationKeys.find(holderPublished, kid, KeyUse.SIGNATURE)
                        .orElse(null));
        assertThat(opened.referralId()).isEqualTo(onward);
        assertThat(opened.sender()).isEqualTo(holder.id());
        assertThat(opened.receiver()).isEqualTo(next.id());
        assertThat(opened.dataCategories()).containsExactly(org.tandem.client.DataCategory.IDENTITY);
        String content = new String(opened.content(), StandardCharsets.UTF_8);
        assertThat(content).isEqualTo(out.get("passedOn").asText());
        assertThat(content).doesNotContain(out.get("notPassedOn").asText());

        DeletionReceipt verified = receiptAfterWithdrawal(holder, next, onward, stored.length());
        assertThat(verified.organisationId()).isEqualTo(next.id());
        assertThat(verified.referralId()).isEqualTo(onward);
        given().baseUri(services.referralUrl())
                .auth()
                .oauth2(outsider.caseworkerToken())
                .when()
                .get("/api/v1/pathways/{id}", out.get("pathwayId").asText())
                .then()
                .statusCode(404);
    }

    /**
     * The case file the browser sealed, as the hub released it to the receiver's browser (the journey keeps the
     * answer): only the JWE, never the text the sender wrote, and as large as the hub says it stores; its
     * header passes tandem-client's checks; tandem-client opens it with the receiver's private key from the key
     * file the browser downloaded (Nimbus, not jose) and verifies the sender's signature against the key the
     * sender's browser published in the registry. After the withdrawal the hub's copy is destroyed (410) and
     * the deletion receipt signed in the receiver's browser verifies with tandem-client.
     */
    static void caseFileIsCiphertextThatTandemClientOpens(
            Path journeyOutput, TestOrganisation sender, TestOrganisation receiver) throws Exception {
        JsonNode out = new ObjectMapper().readTree(journeyOutput.toFile());
        UUID referral = UUID.fromString(out.get("referralId").asText());
        String marker = out.get("marker").asText();
        String stored = out.get("releasedJwe").asText();
        assertThat(stored)
                .doesNotContain(marker)
                .doesNotContain(Base64URL.encode(marker).toString());
        DeletionReceipt verified = receiptAfterWithdrawal(sender, receiver, referral, stored.length());
        assertThat(verified.organisationId()).isEqualTo(receiver.id());
        assertThat(verified.referralId()).isEqualTo(referral);

        JWKSet receiverPublished = published(receiver, receiver);
        JWKSet senderPublished = published(receiver, sender);
        CaseFileHeader header = CaseFileHeader.parse(stored);
        assertThat(header.referralId()).isEqualTo(referral);
        ECKey receiverKey =
                OrganisationKeys.current(receiverPublished, KeyUse.ENCRYPTION).orElseThrow();
        assertThat(header.kid()).isEqualTo(receiverKey.getKeyID());
        // key substitution is visible: the fingerprint the sender's browser showed before sealing, the one on the
        // receiver's Keys page and tandem-client's (Nimbus) for the key the file is encrypted to are the same
        assertThat(out.get("receiverKid").asText()).isEqualTo(header.kid());
        assertThat(out.get("fingerprintShownToSender").asText())
                .isEqualTo(out.get("fingerprintOnReceiverKeysPage").asText())
                .isEqualTo(KeyFingerprint.of(receiverKey));

        OrganisationKeys mine = keyFile(out.get("receiverKeyFile"), out.get("receiverPassphrase"));
        CaseFiles.Opened opened = CaseFiles.open(
                stored,
                mine.encryption(),
                kid -> OrganisationKeys.find(senderPublished, kid, KeyUse.SIGNATURE)
                        .orElse(null));
        assertThat(new String(opened.content(), StandardCharsets.UTF_8)).isEqualTo(marker);
        assertThat(opened.referralId()).isEqualTo(referral);
        assertThat(opened.sender()).isEqualTo(sender.id());
        assertThat(opened.receiver()).isEqualTo(receiver.id());
    }

    /**
     * After her withdrawal, as the sender reads it: the file the hub stored (of the size the browser received) is
     * destroyed (shredded, and 410 for the receiver), and the receiver's deletion receipt is in, verified with
     * tandem-client against the receiver's published key.
     */
    static DeletionReceipt receiptAfterWithdrawal(
            TestOrganisation sender, TestOrganisation receiver, UUID referral, int sizeBytes) throws Exception {
        String receipt = given().baseUri(services.referralUrl())
                .auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .get("/api/v1/referrals/{id}/case-file/status", referral)
                .then()
                .statusCode(200)
                .body("sizeBytes", org.hamcrest.Matchers.equalTo(sizeBytes))
                .body("shreddedAt", org.hamcrest.Matchers.notNullValue())
                .body("deletionReceipt.status", org.hamcrest.Matchers.equalTo("RECEIVED"))
                .extract()
                .path("deletionReceipt.receipt");
        given().baseUri(services.referralUrl())
                .auth()
                .oauth2(receiver.caseworkerToken())
                .accept("application/jose")
                .when()
                .get("/api/v1/referrals/{id}/case-file", referral)
                .then()
                .statusCode(410);
        return DeletionReceipt.verify(
                receipt,
                OrganisationKeys.find(
                                published(receiver, receiver),
                                DeletionReceipt.parse(receipt).kid(),
                                KeyUse.SIGNATURE)
                        .orElseThrow());
    }

    /** An organisation's published keys, as another organisation's caseworker reads them from the registry. */
    static JWKSet published(TestOrganisation reader, TestOrganisation org) throws java.text.ParseException {
        return JWKSet.parse(given().baseUri(services.registryUrl())
                .auth()
                .oauth2(reader.caseworkerToken())
                .when()
                .get("/api/v1/organisations/{id}/keys", org.id())
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    /** The private keys in a key file the browser downloaded, opened with its passphrase (Nimbus, not jose). */
    static OrganisationKeys keyFile(JsonNode path, JsonNode passphrase) throws Exception {
        JWEObject file =
                JWEObject.parse(Files.readString(Path.of(path.asText())).strip());
        file.decrypt(new PasswordBasedDecrypter(passphrase.asText()));
        return OrganisationKeys.fromPrivateJwkSet(file.getPayload().toString());
    }

    static Map<String, String> user(TestOrganisation org, String name) {
        org.caseworkerToken(); // creates the user cw-<slug>
        org.adminToken(); // and admin-<slug>
        return Map.of(
                "id",
                org.id().toString(),
                "name",
                name,
                "caseworker",
                "cw-" + org.slug(),
                "admin",
                "admin-" + org.slug());
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
