package org.tandem.referral.retention;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.client.CaseFiles;
import org.tandem.client.DataCategory;
import org.tandem.client.DeletionReceipt;
import org.tandem.client.OrganisationKeys;
import org.tandem.events.common.ServiceCode;
import org.tandem.events.registry.KeyUse;
import org.tandem.events.registry.PublicKeyRef;
import org.tandem.platform.retention.RetentionKind;
import org.tandem.platform.retention.RetentionLease;
import org.tandem.referral.casefile.RegistryKeysServer;
import org.tandem.referral.support.AdjustableClock;
import org.tandem.referral.support.CaseFileRequests;
import org.tandem.referral.support.Coordination;
import org.tandem.referral.support.PublishedKeys;
import org.tandem.referral.support.Referrals;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.RetentionReports;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestInfrastructure;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The retention policy enforced on a moved clock (docs/retention.md): every kind of record referral-service
 * keeps is filled through the REST API in February 2041 (a year no other test uses), the clock is moved past
 * each period in turn, the job runs, and the report of the organisations' org-admin must show 0 past the
 * period while everything still within its period is untouched: an open referral stays as it was however
 * old, and the purged referrals still count in the statistics of their year.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
@WithTestResource(RegistryKeysServer.class)
class RetentionApiTest {

    static final String JOSE = "application/jose";
    static final Instant T0 = Instant.parse("2041-02-10T10:00:00Z");
    static final Instant FAR = Instant.parse("2099-01-01T00:00:00Z");

    static KeycloakRealm realm;
    static EventTopicWriter writer;
    static TestOrganisation sender;
    static TestOrganisation receiver;
    static OrganisationKeys senderKeys;
    static OrganisationKeys receiverKeys;
    static String expiringKid = "retention-test-" + UUID.randomUUID();

    @Inject
    AdjustableClock clock;

    @Inject
    ReferralRetention job;

    @Inject
    RetentionLease lease;

    @BeforeAll
    static void organisations() {
        CaseFileRequests.sendJoseAsText();
        realm = KeycloakRealm.get();
        writer = new EventTopicWriter();
        sender = realm.createOrganisation("MT");
        receiver = realm.createOrganisation("EE");
        senderKeys = publish(sender, null);
        // the receiver also has a signature key that expires ten days after T0: a read-model row with an end
        receiverKeys = publish(
                receiver,
                new PublicKeyRef(
                        expiringKid,
                        KeyUse.SIGNATURE,
                        T0.minus(Duration.ofDays(30)),
                        T0.plus(Duration.ofDays(10)),
                        expiringKid));
    }

    static OrganisationKeys publish(TestOrganisation org, PublicKeyRef extra) {
        return extra == null
                ? PublishedKeys.publish(writer, org, List.of(ServiceCode.SAFE_ACCOMMODATION))
                : PublishedKeys.publish(writer, org, List.of(ServiceCode.SAFE_ACCOMMODATION), extra);
    }

    @AfterAll
    static void close() {
        if (writer != null) {
            writer.close();
        }
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    void at(Instant instant) {
        clock.reset();
        clock.advance(Duration.between(clock.instant(), instant));
    }

    static Instant plus(Instant t, String period) {
        return t.atZone(ZoneOffset.UTC).plus(Period.parse(period)).toInstant();
    }

    @Test
    void every_kind_is_at_zero_past_its_period_after_the_job_and_nothing_within_its_period_is_touched() {
        at(T0);
        List<UUID> completed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID id = accepted(FAR);
            if (i == 0) {
                upload(id).statusCode(201);
                fetch(id).statusCode(200);
            }
            post(receiver, "start", id, null).statusCode(200);
            post(receiver, "completion", id, "{\"outcome\":\"SERVICES_PROVIDED\",\"note\":\"retention test note\"}")
                    .statusCode(200);
            completed.add(id);
        }
        UUID withFile = completed.get(0);
        UUID expiring = accepted(T0.plus(Duration.ofDays(20)));
        upload(expiring).statusCode(201);
        UUID withdrawn = accepted(FAR);
        upload(withdrawn).statusCode(201);
        fetch(withdrawn).statusCode(200);
        post(sender, "withdrawal", withdrawn, null).statusCode(200);
        String receipt =
                DeletionReceipt.sign(receiver.id(), withdrawn, Instant.now().minusSeconds(5), receiverKeys.signature());
        CaseFileRequests.sendDeletionReceipt(receiver.integrationToken(), withdrawn, receipt)
                .statusCode(201);
        UUID open = draft(FAR);
        post(sender, "submission", open, null).statusCode(200);
        Map<String, Object> openBefore = openView(open);

        // 25 days on: the expiring consent has run out; the completed file is still within its 30 days
        at(T0.plus(Duration.ofDays(25)));
        assertThat(past(RetentionKind.CASE_FILE_CONSENT_EXPIRED)).isEqualTo(1);
        assertThat(past(RetentionKind.CASE_FILE_COMPLETED)).isZero();
        job.run(clock.instant());
        assertThat(past(RetentionKind.CASE_FILE_CONSENT_EXPIRED)).isZero();
        JsonPath expired = referral(expiring);
        assertThat(expired.getString("status"))
                .as("an expired consent ends the referral as the design says")
                .isEqualTo("WITHDRAWN");
        assertThat(expired.getString("consent.withdrawnAt"))
                .as("she did not withdraw it: it expired")
                .isNull();
        assertThat(timelineCodes(expiring)).contains("CONSENT_EXPIRED");
        assertShredded(expiring);
        fetch(withFile).statusCode(200); // within its period: still released
        assertThat(oldest(RetentionKind.CASE_FILE_COMPLETED)).isNotNull();

        // 31 days on: the completed referral's file is past its period
        at(T0.plus(Duration.ofDays(31)));
        assertThat(past(RetentionKind.CASE_FILE_COMPLETED)).isEqualTo(1);
        job.run(clock.instant());
        assertThat(past(RetentionKind.CASE_FILE_COMPLETED)).isZero();
        assertShredded(withFile);
        fetch(withFile).statusCode(410);
        assertThat(referral(withFile).getString("outcome.note"))
                .as("the referral's personal parts are still within their year")
                .isEqualTo("retention test note");

        // a year and a day on: the personal parts of the closed referrals go; the read model's expired key too
        at(plus(T0, "P1Y1D"));
        // five completed and one withdrawn closed at T0; the one whose consent expired closed 25 days later
        assertThat(past(RetentionKind.REFERRAL_PERSONAL_DATA)).isEqualTo(6);
        // the expiring key is the receiver's: her org-admin sees it, the sender's does not
        assertThat(past(RetentionKind.READ_MODELS, receiver.adminToken())).isEqualTo(1);
        assertThat(past(RetentionKind.READ_MODELS)).isZero();
        job.run(clock.instant());
        assertThat(past(RetentionKind.REFERRAL_PERSONAL_DATA)).isZero();
        assertThat(past(RetentionKind.READ_MODELS, receiver.adminToken())).isZero();
        assertThat(referral(expiring).getString("summary.urgency"))
                .as("closed 25 days later: still within its year")
                .isEqualTo("ROUTINE");
        for (UUID id : completed) {
            Referrals.read(sender.caseworkerToken(), id).statusCode(404);
        }
        assertThat(text(
                        "select concat_ws('|', requested_services, languages, age_band, children_age_bands, safety_risk, outcome_note)"
                                + " from referral.referral where id = '" + withFile + "'"))
                .isEmpty();
        assertThat(text(
                        "select concat_ws('|', outcome, urgency, sender_country, receiver_country, status) from referral.referral where id = '"
                                + withFile + "'"))
                .isEqualTo("SERVICES_PROVIDED|ROUTINE|MT|EE|COMPLETED");
        assertThat(count("select count(*) from referral.case_file where referral_id = '" + withFile + "'"))
                .isZero();
        assertThat(count("select count(*) from referral.known_organisation_key where kid = '" + expiringKid + "'"))
                .isZero();
        JsonPath stats = Coordination.statistics(realm.coordinatorToken(), "2041")
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(stats.getMap("byStatusAndUrgency.find { it.status == 'COMPLETED' && it.urgency == 'ROUTINE' }"))
                .as("the anonymised referrals still count in their year's statistics")
                .containsEntry("count", 5);
        assertThat(openView(open))
                .as("an open referral is untouched, however old")
                .isEqualTo(openBefore);

        // six years and a day on: the consent records and the deletion receipt go
        at(plus(T0, "P6Y1D"));
        assertThat(past(RetentionKind.CONSENT_RECORD)).isEqualTo(6);
        assertThat(past(RetentionKind.DELETION_RECEIPTS)).isEqualTo(1);
        job.run(clock.instant());
        JsonPath report = report(sender.adminToken());
        List<String> enforcedHere = List.of(
                "case-file-completed",
                "case-file-consent-expired",
                "referral-personal-data",
                "consent-record",
                "deletion-receipts",
                "read-models");
        for (String kind : enforcedHere) {
            // (the audit log is purged by its anchoring, a topic by the broker: docs/retention.md)
            assertThat(report.getLong("kinds.find { it.kind == '" + kind + "' }.pastPeriod"))
                    .as(kind)
                    .isZero();
        }
        assertThat(count("select count(*) from referral.consent where referral_id = '" + withFile + "'"))
                .isZero();
        assertThat(count("select count(*) from referral.deletion_receipt where referral_id = '" + withdrawn + "'"))
                .isZero();
        assertThat(openView(open))
                .as("an open referral is untouched, however old")
                .isEqualTo(openBefore);
        assertThat(report.getString("kinds.find { it.kind == 'kafka.referrals' }.period"))
                .isEqualTo("P14D");
    }

    @Test
    void the_report_is_for_coordinators_and_org_admins_each_for_what_they_may_see() {
        JsonPath network = report(realm.coordinatorToken());
        assertThat(network.getString("organisation")).isNull();
        assertThat(network.getList("kinds.kind"))
                .containsExactly(
                        "case-file-completed",
                        "case-file-consent-expired",
                        "referral-personal-data",
                        "consent-record",
                        "deletion-receipts",
                        "read-models",
                        "backups",
                        "audit-log",
                        "kafka.referrals");
        JsonPath own = report(sender.adminToken());
        assertThat(own.getString("organisation")).isEqualTo(sender.id().toString());
        assertThat(own.getList("kinds.kind"))
                .as("the hub keys are the network's")
                .doesNotContain("backups");
        given().auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .get("/api/v1/retention/report")
                .then()
                .statusCode(403);
        given().when().get("/api/v1/retention/report").then().statusCode(401);
    }

    @Test
    void the_daily_run_is_taken_by_one_instance_per_period() {
        String jobName = "test-" + UUID.randomUUID();
        Instant now = Instant.parse("2041-06-01T00:00:00Z");
        assertThat(lease.tryTake(jobName, Period.ofDays(1), now)).isTrue();
        assertThat(lease.tryTake(jobName, Period.ofDays(1), now.plusSeconds(3600)))
                .as("another instance, an hour later")
                .isFalse();
        assertThat(lease.tryTake(jobName, Period.ofDays(1), now.plus(Duration.ofDays(1))))
                .isTrue();
    }

    // --- steps through the API

    static JsonPath report(String token) {
        return RetentionReports.report(token);
    }

    static String oldest(RetentionKind kind) {
        return RetentionReports.oldest(sender.adminToken(), kind.reportName());
    }

    /** What the sender sees of a referral that must stay untouched: state, summary and consent. */
    static Map<String, Object> openView(UUID id) {
        JsonPath r = referral(id);
        return Map.of("status", r.getString("status"), "summary", r.getMap("summary"), "consent", r.getMap("consent"));
    }

    static long past(RetentionKind kind) {
        return past(kind, sender.adminToken());
    }

    static long past(RetentionKind kind, String token) {
        return RetentionReports.pastPeriod(token, kind.reportName());
    }

    static JsonPath referral(UUID id) {
        return Referrals.read(sender.caseworkerToken(), id)
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static List<String> timelineCodes(UUID id) {
        return Referrals.timeline(sender.caseworkerToken(), id)
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("code", String.class);
    }

    static io.restassured.response.ValidatableResponse post(TestOrganisation org, String path, UUID id, String json) {
        var request = given().auth().oauth2(org.caseworkerToken());
        if (json != null) {
            request = request.contentType(ContentType.JSON).body(json);
        }
        return request.when().post("/api/v1/referrals/{id}/" + path, id).then();
    }

    static UUID draft(Instant consentExpires) {
        String body = """
                {"receiverOrganisationId":"%s",
                 "summary":{"urgency":"ROUTINE","requestedServices":["SAFE_ACCOMMODATION"],"languages":["eng"],
                            "ageBand":"AGE_25_34","accompanyingChildren":[],"safetyRisk":"MODERATE"},"stage":"FIRST_ASSISTANCE",
                 "consent":{"recipients":["%s"],"purposes":["REFERRAL","CASE_TRANSFER"],"dataCategories":["IDENTITY","HEALTH"],
                 "givenAt":"%s","expiresAt":"%s","formLanguage":"eng","formVersion":"2026-1","interpreterPresent":false,
                 "method":"SIGNED_FORM"}}""".formatted(receiver.id(), receiver.id(), Instant.now().minusSeconds(3600), consentExpires);
        return UUID.fromString(Referrals.draft(sender, body));
    }

    static UUID accepted(Instant consentExpires) {
        UUID id = draft(consentExpires);
        Referrals.throughAcceptance(sender, receiver, id);
        return id;
    }

    static io.restassured.response.ValidatableResponse upload(UUID id) {
        String jwe = CaseFiles.seal(
                "a retention test file, no real data".getBytes(StandardCharsets.UTF_8),
                id,
                EnumSet.of(DataCategory.IDENTITY),
                sender.id(),
                receiver.id(),
                senderKeys.signature(),
                receiverKeys.encryption().toPublicJWK());
        return CaseFileRequests.upload(sender, id, jwe);
    }

    static io.restassured.response.ValidatableResponse fetch(UUID id) {
        return CaseFileRequests.fetch(receiver, id);
    }

    /** Key first, then bytes: neither the wrapped data key nor the sealed bytes remain. */
    static void assertShredded(UUID id) {
        assertThat(count("select count(*) from referral.case_file_key where referral_id = '" + id + "'"))
                .isZero();
        assertThat(count("select count(*) from referral.case_file where referral_id = '" + id + "' and sealed is null"
                        + " and shredded_at is not null"))
                .isEqualTo(1);
    }

    // --- direct reads of the schema, for what the API deliberately does not show

    static Connection connect() throws SQLException {
        var e = TestInfrastructure.endpoints();
        return DriverManager.getConnection(e.jdbcUrl(), e.dbUser("referral"), e.dbPassword("referral"));
    }

    static long count(String sql) {
        return Long.parseLong(text(sql));
    }

    static String text(String sql) {
        try (Connection c = connect();
                var s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            String v = rs.getString(1);
            return v == null ? "" : v;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
