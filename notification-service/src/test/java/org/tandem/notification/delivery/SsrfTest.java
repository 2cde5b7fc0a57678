package org.tandem.notification.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import org.tandem.notification.domain.WebhookEventType;
import org.tandem.notification.persistence.WebhookDeliveryEntity;
import org.tandem.notification.persistence.WebhookEndpointEntity;
import org.tandem.notification.secrets.WebhookSecrets;
import org.tandem.notification.support.Api;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * SSRF protection with the production settings (HTTPS only, no loopback). A listening socket on loopback
 * counts every connection: hostile URLs are refused when registered, and an endpoint that points at a
 * refused address anyway (as after DNS rebinding) is refused again before each delivery, so the socket
 * never sees a connection.
 */
@QuarkusTest
@TestProfile(SsrfTest.ProductionUrlPolicy.class)
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class SsrfTest {

    public static class ProductionUrlPolicy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tandem.webhooks.allow-loopback", "false", "tandem.webhooks.allow-http", "false");
        }
    }

    @Inject
    DeliveryQueue queue;

    @Inject
    WebhookSecrets secrets;

    /** Counts connections to a loopback port. */
    static final class CountingSocket implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger accepted = new AtomicInteger();

        CountingSocket() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(
                    () -> {
                        while (!server.isClosed()) {
                            try (Socket s = server.accept()) {
                                accepted.incrementAndGet();
                            } catch (IOException e) {
                                return;
                            }
                        }
                    },
                    "counting-socket");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    static List<String> hostileUrls(int port) {
        return List.of(
                "https://127.0.0.1:" + port + "/hook",
                "https://localhost:" + port + "/hook",
                "https://LOCALHOST:" + port + "/hook",
                "https://127.1:" + port + "/hook",
                "https://127.0.1.3:" + port + "/hook",
                "https://2130706433:" + port + "/hook",
                "https://0.0.0.0:" + port + "/hook",
                "https://0:" + port + "/hook",
                "https://[::1]:" + port + "/hook",
                "https://[::]:" + port + "/hook",
                "https://[::ffff:127.0.0.1]:" + port + "/hook",
                "https://[::ffff:7f00:1]:" + port + "/hook",
                "https://[0:0:0:0:0:0:0:1]:" + port + "/hook",
                "https://[64:ff9b::7f00:1]:" + port + "/hook",
                "https://[2002:7f00:1::]:" + port + "/hook",
                "https://169.254.169.254/latest/meta-data/",
                "https://[fd00:ec2::254]/latest/meta-data/",
                "https://100.100.100.200/latest/meta-data/",
                "https://10.0.0.1/hook",
                "https://172.16.5.4/hook",
                "https://192.168.1.1/hook",
                "https://[fe80::1]/hook",
                "https://[fc00::1]/hook",
                "https://224.0.0.1/hook",
                "https://255.255.255.255/hook",
                "http://hooks.example.org/plain-http",
                "https://user:pass@hooks.example.org/hook",
                "file:///etc/passwd",
                "gopher://127.0.0.1:" + port + "/_x");
    }

    @Test
    void twenty_and_more_hostile_urls_are_refused_and_the_listening_socket_sees_no_connection() throws Exception {
        TestOrganisation org = KeycloakRealm.get().createOrganisation("CZ");
        try (var socket = new CountingSocket()) {
            List<String> urls = hostileUrls(socket.port());
            assertThat(urls).hasSizeGreaterThanOrEqualTo(20);
            for (String url : urls) {
                given().auth()
                        .oauth2(org.adminToken())
                        .contentType(ContentType.JSON)
                        .body(Map.of("url", url, "eventTypes", List.of("*")))
                        .when()
                        .post("/api/v1/webhooks/endpoints")
                        .then()
                        .statusCode(400)
                        .contentType("application/problem+json")
                        .body("errors[0].field", equalTo("url"));
            }

            // Endpoints stored with hostile URLs anyway (as if a name resolved elsewhere when it was registered):
            // every delivery is refused before connecting.
            List<String> storedUrls = List.of(
                    "https://127.0.0.1:" + socket.port() + "/hook",
                    "https://localhost:" + socket.port() + "/hook",
                    "https://[::ffff:127.0.0.1]:" + socket.port() + "/hook",
                    "https://2130706433:" + socket.port() + "/hook");
            List<UUID> deliveries = QuarkusTransaction.requiringNew()
                    .call(() -> storedUrls.stream()
                            .map(url -> {
                                var e = new WebhookEndpointEntity();
                                e.id = UUID.randomUUID();
                                e.organisationId = org.id();
                                e.url = url;
                                e.eventTypes = new String[] {"*"};
                                secrets.setSecret(e, WebhookSigner.newSecret());
                                e.enabled = true;
                                e.createdAt = Instant.now();
                                e.updatedAt = Instant.now();
                                e.createdBy = "test";
                                e.persist();
                                String id = UUID.randomUUID().toString();
                                queue.enqueue(
                                        List.of(e.id),
                                        WebhookEventType.PING,
                                        id,
                                        "ping:" + id,
                                        queue.payload(WebhookEventType.PING, Instant.now(), Map.of("eventId", id)));
                                WebhookDeliveryEntity d = WebhookDeliveryEntity.find("eventId", id)
                                        .firstResult();
                                return d.id;
                            })
                            .toList());
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            for (UUID id : deliveries) {
                while (true) {
                    WebhookDeliveryEntity d = QuarkusTransaction.requiringNew()
                            .call(() -> WebhookDeliveryEntity.find("id", id).firstResult());
                    if (d.attempts > 0) {
                        assertThat(d.lastError).startsWith("refused address");
                        assertThat(d.lastStatusCode).isNull();
                        break;
                    }
                    assertThat(Instant.now()).isBefore(deadline);
                    Api.pause(100);
                }
            }
            assertThat(socket.accepted.get())
                    .as("connections to the hostile targets")
                    .isZero();
        }
    }
}
