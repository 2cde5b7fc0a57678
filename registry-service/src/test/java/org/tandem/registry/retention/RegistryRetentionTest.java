package org.tandem.registry.retention;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.events.referral.ReferralAccepted;
import org.tandem.events.referral.ReferralRef;
import org.tandem.events.referral.ReferralStatus;
import org.tandem.platform.retention.RetentionBacklogMetrics;
import org.tandem.platform.retention.RetentionKind;
import org.tandem.registry.rest.DirectoryProfileTest;
import org.tandem.registry.rest.OrganisationApiTest;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.RetentionReports;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * registry-service's retention (docs/retention.md), against the real stack: its read model of accepted referrals,
 * the address disclosures, is kept for {@code tandem.retention.read-models} (P90D) from the acceptance. Two
 * shelters each accept a referral of a sender, one 100 days ago and one 10 days ago (the acceptance's time comes
 * from the ReferralAccepted event the registry consumes); the report counts the old one past its period, the job
 * deletes it and keeps the recent one, and the sender then reads only the recent shelter's confidential address.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "registry"))
class RegistryRetentionTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String READ_MODELS = RetentionKind.READ_MODELS.reportName();

    static KeycloakRealm realm;

    @Inject
    RegistryRetention job;

    @Inject
    RetentionBacklogMetrics backlog;

    @BeforeAll
    static void setUp() {
        realm = KeycloakRealm.get();
    }

    static TestOrganisation shelter(String name) {
        return DirectoryProfileTest.approved(
                "SI", OrganisationApiTest.profile(name, "SI", "\"SAFE_ACCOMMODATION\"", "\"slv\"", 1));
    }

    @Test
    void a_disclosure_past_its_period_is_deleted_and_one_within_it_is_kept() {
        TestOrganisation oldShelter = shelter("Old shelter");
        TestOrganisation recentShelter = shelter("Recent shelter");
        TestOrganisation sender = DirectoryProfileTest.approved(
                "HR", OrganisationApiTest.profile("Sender", "HR", "\"LEGAL_ASSISTANCE\"", "\"hrv\"", 1));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant longAgo = now.minus(Duration.ofDays(100));
        Instant recently = now.minus(Duration.ofDays(10));
        try (var writer = new EventTopicWriter()) {
            accept(writer, sender, oldShelter, longAgo);
            accept(writer, sender, recentShelter, recently);
        }
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(addressStatus(sender, oldShelter)).isEqualTo(200);
            assertThat(addressStatus(sender, recentShelter)).isEqualTo(200);
        });

        // before the job: each shelter's org-admin sees her own disclosure, the old one past its period
        assertThat(pastPeriod(oldShelter.adminToken())).isEqualTo(1);
        assertThat(oldest(oldShelter.adminToken())).isEqualTo(longAgo);
        assertThat(pastPeriod(recentShelter.adminToken())).isZero();
        assertThat(oldest(recentShelter.adminToken())).isEqualTo(recently);
        // the sender (the grantee of both) sees both, one of them past its period
        assertThat(pastPeriod(sender.adminToken())).isEqualTo(1);
        assertThat(oldest(sender.adminToken())).isEqualTo(longAgo);
        assertThat(pastPeriod(realm.coordinatorToken())).isPositive();
        // the same count as a metric, for the alert that the job has stopped (docs/operations.md)
        backlog.refresh();
        assertThat(backlogMetric(READ_MODELS)).isEqualTo(pastPeriod(realm.coordinatorToken()));

        Map<RetentionKind, Integer> done = job.run(Instant.now());
        assertThat(done).containsOnlyKeys(RetentionKind.READ_MODELS);
        assertThat(done.get(RetentionKind.READ_MODELS)).isPositive();

        // after: nothing past its period anywhere, and what stays is the recent disclosure only
        assertThat(pastPeriod(realm.coordinatorToken())).isZero();
        backlog.refresh();
        assertThat(backlogMetric(READ_MODELS)).isZero();
        assertThat(pastPeriod(sender.adminToken())).isZero();
        assertThat(oldest(sender.adminToken())).isEqualTo(recently);
        assertThat(oldest(oldShelter.adminToken()))
                .as("the old disclosure is gone")
                .isNull();
        assertThat(oldest(recentShelter.adminToken())).isEqualTo(recently);
        assertThat(addressStatus(sender, oldShelter))
                .as("without its disclosure the old shelter's address is hidden again")
                .isEqualTo(404);
        assertThat(addressStatus(sender, recentShelter))
                .as("a disclosure within its period stays")
                .isEqualTo(200);

        // a second run finds nothing more of these
        job.run(Instant.now());
        assertThat(oldest(recentShelter.adminToken())).isEqualTo(recently);
        assertThat(addressStatus(sender, recentShelter)).isEqualTo(200);
    }

    @Test
    void the_report_is_for_coordinators_and_org_admins() {
        TestOrganisation org = realm.createOrganisation("SK");
        JsonPath coordinator = report(realm.coordinatorToken());
        assertThat(coordinator.getString("service")).isEqualTo("registry-service");
        assertThat(coordinator.getString("organisation")).isNull();
        assertThat(coordinator.getList("kinds.kind")).containsExactly(READ_MODELS, "audit-log");
        assertThat(coordinator.getString(RetentionReports.row(READ_MODELS, "period")))
                .isEqualTo("P90D");
        assertThat(coordinator.getString(RetentionReports.row(READ_MODELS, "enforcedBy")))
                .isEqualTo("retention job: address disclosures deleted");
        JsonPath admin = report(org.adminToken());
        assertThat(admin.getString("organisation")).isEqualTo(org.id().toString());
        assertThat(admin.getLong(RetentionReports.row(READ_MODELS, "pastPeriod")))
                .isZero();
        assertThat(admin.getString(RetentionReports.row(READ_MODELS, "oldest"))).isNull();
        given().auth()
                .oauth2(org.caseworkerToken())
                .when()
                .get(RetentionReports.PATH)
                .then()
                .statusCode(403);
        given().when().get(RetentionReports.PATH).then().statusCode(401);
    }

    /** What referral-service publishes when {@code receiver} accepts a referral of {@code sender} at {@code at}. */
    static void accept(EventTopicWriter writer, TestOrganisation sender, TestOrganisation receiver, Instant at) {
        var ref = ReferralRef.newBuilder()
                .setReferralId(UUID.randomUUID().toString())
                .setVersion(3)
                .setStatus(ReferralStatus.ACCEPTED)
                .setSenderOrganisationId(sender.id().toString())
                .setReceiverOrganisationId(receiver.id().toString())
                .setSenderCountry("HR")
                .setReceiverCountry("SI")
                .build();
        writer.publish(
                Topics.REFERRALS,
                ref.getReferralId(),
                ReferralAccepted.newBuilder()
                        .setEventId(UUID.randomUUID().toString())
                        .setOccurredAt(at)
                        .setReferral(ref)
                        .build());
    }

    static int addressStatus(TestOrganisation reader, TestOrganisation of) {
        return given().auth()
                .oauth2(reader.caseworkerToken())
                .when()
                .get("/api/v1/organisations/{id}/confidential-address", of.id())
                .then()
                .extract()
                .statusCode();
    }

    static JsonPath report(String token) {
        return RetentionReports.report(token);
    }

    /** {@code tandem_retention_backlog{kind=...}} as /q/metrics shows it. */
    static long backlogMetric(String kind) {
        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return metrics.lines()
                .filter(l -> l.startsWith("tandem_retention_backlog{") && l.contains("kind=\"" + kind + "\""))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no tandem_retention_backlog for " + kind + " in /q/metrics"));
    }

    static long pastPeriod(String token) {
        return RetentionReports.pastPeriod(token, READ_MODELS);
    }

    static Instant oldest(String token) {
        String oldest = RetentionReports.oldest(token, READ_MODELS);
        return oldest == null ? null : Instant.parse(oldest);
    }
}
