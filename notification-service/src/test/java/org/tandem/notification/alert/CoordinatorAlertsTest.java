package org.tandem.notification.alert;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.events.registry.MembershipStatus;
import org.tandem.events.registry.OrganisationRegistered;
import org.tandem.events.registry.OrganisationSnapshot;
import org.tandem.notification.support.Api;
import org.tandem.notification.support.Events;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.SmtpSink;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.notification.support.StandardWebhooksVerifier.v1Valid;

/**
 * Coordinator alerts through all three channels: the coordinators' webhook endpoint, the live
 * Server-Sent Events feed, and e-mail over real SMTP (read back from the sink).
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class CoordinatorAlertsTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static EventTopicWriter writer;
    static KeycloakRealm realm;

    @TestHTTPResource("/api/v1/alerts/stream")
    URI stream;

    @BeforeAll
    static void setUp() {
        writer = new EventTopicWriter();
        realm = KeycloakRealm.get();
        SmtpSink.get();
    }

    @AfterAll
    static void tearDown() {
        writer.close();
    }

    /** Reads an SSE stream's lines in the background. */
    static final class Feed implements AutoCloseable {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final HttpClient client = HttpClient.newHttpClient();
        final java.util.concurrent.CompletableFuture<HttpResponse<Stream<String>>> response;

        Feed(URI uri, String token) {
            this(uri, token, null);
        }

        Feed(URI uri, String token, String lastEventId) {
            var request = HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "text/event-stream");
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            response = client.sendAsync(request.GET().build(), HttpResponse.BodyHandlers.ofLines());
            response.thenAccept(r -> {
                Thread t = new Thread(
                        () -> {
                            try {
                                r.body().forEach(lines::add);
                            } catch (RuntimeException closed) {
                                // the test closed the feed
                            }
                        },
                        "sse-reader");
                t.setDaemon(true);
                t.start();
            });
        }

        List<String> await(String text, Duration timeout) {
            Instant deadline = Instant.now().plus(timeout);
            while (lines.stream().noneMatch(l -> l.contains(text))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("the feed did not show " + text + "; it had " + lines);
                }
                Api.pause(50);
            }
            return lines;
        }

        @Override
        public void close() {
            response.cancel(true);
            client.shutdownNow();
        }
    }

    @Test
    void an_escalation_reaches_the_coordinators_by_webhook_live_feed_and_email_and_the_parties_by_webhook()
            throws Exception {
        TestOrganisation sender = realm.createOrganisation("ES");
        TestOrganisation receiver = realm.createOrganisation("FR");
        try (var network = new WebhookReceiver();
                var party = new WebhookReceiver();
                var feed = new Feed(stream, realm.coordinatorToken());
                var orgFeed = new Feed(stream, receiver.adminToken())) {
            String networkSecret = Api.subscribe(realm.coordinatorToken(), network, null, "referral.escalated")
                    .getString("secret");
            Api.subscribe(receiver.adminToken(), party, null, "referral.escalated");
            feed.await("tandem alerts", WAIT);
            orgFeed.await("tandem alerts", WAIT);

            String referralId = UUID.randomUUID().toString();
            writer.publish(Topics.REFERRALS, referralId, Events.escalated(referralId, sender, receiver));

            var hook =
                    network.await(r -> r.body().contains(referralId), 1, WAIT).get(0);
            assertThat(v1Valid(networkSecret, hook)).isTrue();
            JsonPath body = JsonPath.from(hook.body());
            assertThat(body.getString("type")).isEqualTo("referral.escalated");
            assertThat(body.getString("data.missedDeadline")).isEqualTo("ACKNOWLEDGE");
            party.await(r -> r.body().contains(referralId), 1, WAIT);

            List<String> lines = feed.await(referralId, WAIT);
            assertThat(lines).anyMatch(l -> l.startsWith("event:") && l.contains("alert"));
            assertThat(lines.stream().filter(l -> l.contains(referralId)))
                    .allMatch(l -> l.contains("REFERRAL_ESCALATED"));

            var mail = SmtpSink.get()
                    .await(m -> m.body().contains(referralId), 1, WAIT)
                    .get(0);
            assertThat(mail.to()).contains("coordinators@tandem.invalid");
            assertThat(mail.subject()).contains("Escalation");

            JsonPath list = given().auth()
                    .oauth2(realm.coordinatorToken())
                    .when()
                    .get("/api/v1/alerts")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(list.getList("items.data.referralId", String.class)).contains(referralId);
            // a dashboard that reconnects with Last-Event-ID gets what it missed
            long seq = list.getList("items", java.util.Map.class).stream()
                    .filter(a -> String.valueOf(a.get("data")).contains(referralId))
                    .mapToLong(a -> ((Number) a.get("seq")).longValue())
                    .findFirst()
                    .orElseThrow();
            try (var again = new Feed(stream, realm.coordinatorToken(), Long.toString(seq - 1))) {
                assertThat(again.await(referralId, WAIT))
                        .anyMatch(l -> l.equals("id:" + seq) || l.equals("id: " + seq));
            }
            // an organisation's admin never sees the coordinators' alerts, in the list or the feed
            JsonPath own = given().auth()
                    .oauth2(receiver.adminToken())
                    .when()
                    .get("/api/v1/alerts")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(own.getList("items")).isEmpty();
            assertThat(orgFeed.lines).noneMatch(l -> l.contains(referralId));
            given().auth()
                    .oauth2(sender.caseworkerToken())
                    .when()
                    .get("/api/v1/alerts")
                    .then()
                    .statusCode(403);
        }
    }

    @Test
    void a_membership_application_alerts_the_coordinators_and_reaches_their_endpoint() {
        try (var network = new WebhookReceiver()) {
            Api.subscribe(realm.coordinatorToken(), network, null, "organisation.registered");
            String orgId = UUID.randomUUID().toString();
            var snapshot = OrganisationSnapshot.newBuilder()
                    .setOrganisationId(orgId)
                    .setVersion(1)
                    .setCountry("PL")
                    .setMembershipStatus(MembershipStatus.PENDING)
                    .setServices(List.of())
                    .setLanguages(List.of("pol"))
                    .setWomenOnly(true)
                    .setAcceptsMinors(false)
                    .setAcceptsWomenWithChildren(true)
                    .setKeys(List.of())
                    .build();
            writer.publish(
                    Topics.ORGANISATIONS,
                    orgId,
                    OrganisationRegistered.newBuilder()
                            .setEventId(UUID.randomUUID().toString())
                            .setOccurredAt(Events.now())
                            .setOrganisation(snapshot)
                            .build());
            var hook = network.await(r -> r.body().contains(orgId), 1, WAIT).get(0);
            assertThat(JsonPath.from(hook.body()).getString("type")).isEqualTo("organisation.registered");
            assertThat(JsonPath.from(hook.body()).getString("data.membershipStatus"))
                    .isEqualTo("PENDING");
            SmtpSink.get()
                    .await(m -> m.body().contains(orgId) && m.subject().contains("Membership application"), 1, WAIT);
            JsonPath list = given().auth()
                    .oauth2(realm.coordinatorToken())
                    .when()
                    .get("/api/v1/alerts")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(list.getList("items.kind", String.class)).contains("MEMBERSHIP_APPLICATION");
        }
    }

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String dbUrl;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.password")
    String dbPassword;

    /**
     * With two instances, an alert that the other instance raised must reach a feed held by this one. The other
     * instance is played by another database session that commits an alert as Alerts does (row plus NOTIFY); a
     * rolled-back one, and a notification that is not a sequence number, show nothing.
     */
    @Test
    void an_alert_committed_by_another_instance_reaches_the_feeds_of_this_one() throws Exception {
        String committed = "cross-instance-" + UUID.randomUUID();
        String rolledBack = "rolled-back-" + UUID.randomUUID();
        try (var feed = new Feed(stream, realm.coordinatorToken());
                var otherInstance = java.sql.DriverManager.getConnection(dbUrl, dbUser, dbPassword)) {
            Api.pause(500); // the feed is open
            otherInstance.setAutoCommit(false);
            raiseAsAnotherInstance(otherInstance, rolledBack);
            otherInstance.rollback();
            try (var s = otherInstance.createStatement()) {
                s.execute("select pg_notify('tandem_alerts', 'not-a-number')");
            }
            otherInstance.commit();
            raiseAsAnotherInstance(otherInstance, committed);
            otherInstance.commit();

            List<String> lines = feed.await(committed, WAIT);
            assertThat(lines).noneMatch(l -> l.contains(rolledBack));
        }
    }

    private static void raiseAsAnotherInstance(java.sql.Connection c, String marker) throws Exception {
        try (var insert = c.prepareStatement("""
                insert into alert (id, kind, audience_org, payload, created_at, email_attempts)
                values (?, 'REFERRAL_ESCALATED', null, ?, now(), 0) returning seq""")) {
            UUID id = UUID.randomUUID();
            insert.setObject(1, id);
            insert.setString(
                    2,
                    "{\"id\":\"" + id + "\",\"kind\":\"REFERRAL_ESCALATED\",\"data\":{\"note\":\"" + marker + "\"}}");
            try (var rs = insert.executeQuery()) {
                rs.next();
                try (var notify = c.prepareStatement("select pg_notify('tandem_alerts', ?)")) {
                    notify.setString(1, Long.toString(rs.getLong(1)));
                    notify.executeQuery().close();
                }
            }
        }
    }
}
