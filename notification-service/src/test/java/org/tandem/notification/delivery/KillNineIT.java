package org.tandem.notification.delivery;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.tandem.devstack.Endpoints;
import org.tandem.devstack.KafkaSecurity;
import org.tandem.events.Topics;
import org.tandem.notification.support.Events;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TestInfrastructure;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * notification-service as a real process (its packaged jar), killed with SIGKILL ({@code kill -9}) in the
 * middle of deliveries and started again: no delivery is lost, and each referral's events still arrive in
 * order. Deliveries in flight at the kill may arrive twice, with the same {@code webhook-id}.
 */
class KillNineIT {

    static final Duration WAIT = Duration.ofSeconds(90);
    Process service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.destroyForcibly();
        }
    }

    Process start(Endpoints e, int port, Path log) throws IOException {
        Path jar = Path.of(System.getProperty("tandem.notification.jar", "target/quarkus-app/quarkus-run.jar"));
        assertThat(jar).as("the packaged service (mvn package builds it)").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString());
        Map<String, String> env = pb.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("TANDEM_DB_URL", e.jdbcUrl());
        env.put("TANDEM_DB_USER", e.dbUser("notification"));
        env.put("TANDEM_DB_PASSWORD", e.dbPassword("notification"));
        env.put("TANDEM_KAFKA_BOOTSTRAP", e.kafkaBootstrap());
        env.putAll(KafkaSecurity.of(e.stateDir()).environment(KafkaSecurity.user("notification"))); // TLS and SCRAM
        env.put("TANDEM_SCHEMA_REGISTRY_URL", e.schemaRegistryUrl());
        env.put("TANDEM_OIDC_URL", e.oidcIssuer());
        env.put("TANDEM_WEBHOOK_ALLOW_LOOPBACK", "true");
        env.put("TANDEM_SMTP_HOST", "localhost");
        env.put("TANDEM_SMTP_PORT", Integer.toString(e.smtpPort()));
        // the local stack's profile: every production setting set explicitly (docs/security.md)
        env.put("QUARKUS_PROFILE", "local");
        env.put("TANDEM_WEB_ORIGIN", "http://localhost:" + port);
        // the development anchor key, which the local profile allows, as the test profile's services use
        env.put("TANDEM_AUDIT_ANCHOR_KEY", org.tandem.devstack.Services.AUDIT_ANCHOR_KEY_DEVELOPMENT);
        env.put("TANDEM_WEBHOOKS_TIMEOUT", "PT2S");
        env.put("TANDEM_WEBHOOKS_LEASE_MARGIN", "PT1S");
        env.put("TANDEM_WEBHOOKS_POLL_INTERVAL", "PT0.2S");
        env.put(
                "TANDEM_SECRETS_KEK",
                "dev-1:dGFuZGVtLWRldmVsb3BtZW50LWtlay0wMDAwMDAwMDA="); // the test profile's key: the tests' endpoints
        // in this database are sealed under it
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return p;
                }
            } catch (IOException notYet) {
                // starting
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ie);
            }
            assertThat(p.isAlive())
                    .as("notification-service is running (log: %s)", log)
                    .isTrue();
            assertThat(Instant.now())
                    .as("notification-service ready in time (log: %s)", log)
                    .isBefore(deadline);
            org.tandem.notification.support.Api.pause(200);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void killed_with_sigkill_in_the_middle_of_deliveries_it_loses_none_after_a_restart() throws Exception {
        Endpoints e = TestInfrastructure.endpoints();
        int port = freePort();
        Path log = Files.createTempFile("notification-kill9-", ".log");
        KeycloakRealm realm = KeycloakRealm.get();
        TestOrganisation sender = realm.createOrganisation("IS");
        TestOrganisation receiver = realm.createOrganisation("NO");
        try (var hooks = new WebhookReceiver();
                var writer = new EventTopicWriter()) {
            hooks.respondAfter(Duration.ofMillis(150)); // slow enough that the kill lands mid-delivery
            service = start(e, port, log);
            given().baseUri("http://127.0.0.1:" + port)
                    .auth()
                    .oauth2(receiver.adminToken())
                    .contentType(ContentType.JSON)
                    .body("{\"url\":\"" + hooks.url("/kill9") + "\",\"eventTypes\":[\"*\"]}")
                    .when()
                    .post("/api/v1/webhooks/endpoints")
                    .then()
                    .statusCode(201);

            Map<String, List<String>> sent = new LinkedHashMap<>();
            for (int i = 0; i < 10; i++) {
                sent.put(UUID.randomUUID().toString(), new ArrayList<>());
            }
            for (String referral : sent.keySet()) {
                var submitted = Events.submitted(referral, sender, receiver);
                writer.publish(Topics.REFERRALS, referral, submitted);
                sent.get(referral).add(submitted.getEventId());
            }
            for (String referral : sent.keySet()) {
                var acknowledged = Events.acknowledged(referral, sender, receiver);
                writer.publish(Topics.REFERRALS, referral, acknowledged);
                sent.get(referral).add(acknowledged.getEventId());
            }
            hooks.await(r -> true, 4, WAIT);
            service.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no graceful stop
            int beforeRestart = hooks.received().size();
            assertThat(beforeRestart)
                    .as("the kill came in the middle of the deliveries")
                    .isLessThan(20);

            service = start(e, port, log);
            Instant deadline = Instant.now().plus(WAIT);
            while (distinctEvents(hooks.received()) < 20) {
                assertThat(Instant.now())
                        .as("all 20 events arrive after the restart")
                        .isBefore(deadline);
                org.tandem.notification.support.Api.pause(100);
            }
            List<WebhookReceiver.Received> all = hooks.received();
            Map<String, List<String>> firstArrivals = new HashMap<>();
            Map<String, String> webhookIdOfEvent = new HashMap<>();
            for (WebhookReceiver.Received r : all) {
                JsonPath body = JsonPath.from(r.body());
                String eventId = body.getString("data.eventId");
                String previous = webhookIdOfEvent.putIfAbsent(eventId, r.header("webhook-id"));
                if (previous == null) {
                    firstArrivals
                            .computeIfAbsent(body.getString("data.referralId"), k -> new ArrayList<>())
                            .add(eventId);
                } else {
                    assertThat(r.header("webhook-id"))
                            .as("a repeat carries the same webhook-id")
                            .isEqualTo(previous);
                }
            }
            assertThat(firstArrivals)
                    .as("every event arrived, in order per referral")
                    .isEqualTo(sent);
        }
    }

    static long distinctEvents(List<WebhookReceiver.Received> received) {
        return received.stream()
                .map(r -> JsonPath.from(r.body()).getString("data.eventId"))
                .distinct()
                .count();
    }
}
