package org.tandem.platform.serde;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A registry that accepts the connection and then never answers (what a stalled lookup looks like from the
 * client) fails the lookup after the read timeout, as a transient failure, instead of holding the caller forever.
 */
class SchemaRegistryClientsTest {

    @Test
    void a_lookup_that_gets_no_answer_fails_after_the_read_timeout_and_counts_as_transient() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // read nothing, write nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            var facade = SchemaRegistryClients.facade(Map.of(
                    "apicurio.registry.url",
                    "http://localhost:" + silent.getLocalPort() + "/apis/registry/v3",
                    SchemaRegistryClients.READ_TIMEOUT_MS,
                    "300"));

            Throwable failure = assertTimeoutPreemptively(
                    Duration.ofSeconds(20), () -> catchThrowable(() -> facade.getSchemaByContentId(1L)));

            assertThat(failure).isNotNull();
            assertThat(SchemaRegistryClients.isTransient(failure))
                    .as("a timeout is worth a retry")
                    .isTrue();
            assertThat(accepted).as("the lookup reached the silent registry").isNotEmpty();
            silent.close();
            acceptor.join(5_000);
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void an_unknown_schema_or_unreadable_content_is_not_transient() {
        assertThat(SchemaRegistryClients.isTransient(new IllegalArgumentException("not Avro")))
                .isFalse();
        assertThat(SchemaRegistryClients.isTransient(new RuntimeException(new IOException("reset"))))
                .isTrue();
    }

    /**
     * Apicurio with OIDC (deploy/kubernetes): with a token endpoint configured, the client fetches a token with the
     * service's client credentials and sends it with every lookup. Both ends are plain local HTTP servers.
     */
    @Test
    void with_a_token_endpoint_the_lookups_carry_a_token_fetched_with_the_services_client_credentials()
            throws Exception {
        List<String> tokenRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/token", exchange -> {
            tokenRequests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"access_token\":\"t0ken-for-test\",\"token_type\":\"Bearer\",\"expires_in\":300}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/apis/registry/v3", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://localhost:" + server.getAddress().getPort();
            var facade = SchemaRegistryClients.facade(Map.of(
                    "apicurio.registry.url",
                    base + "/apis/registry/v3",
                    "apicurio.registry.auth.service.token.endpoint",
                    base + "/token",
                    "apicurio.registry.auth.client.id",
                    "referral-service",
                    "apicurio.registry.auth.client.secret",
                    "s3cret-for-test"));

            Throwable failure = assertTimeoutPreemptively(
                    Duration.ofSeconds(20), () -> catchThrowable(() -> facade.getSchemaByContentId(1L)));

            assertThat(failure).as("the registry answered 404").isNotNull();
            assertThat(tokenRequests).hasSize(1);
            assertThat(tokenRequests.get(0)).contains("grant_type=client_credentials");
            String basic = java.util.Base64.getEncoder()
                    .encodeToString("referral-service:s3cret-for-test".getBytes(StandardCharsets.UTF_8));
            assertThat(tokenRequests.get(0).contains("client_id=referral-service")
                            || tokenRequests.get(0).endsWith("Basic " + basic))
                    .as("the service's own client: " + tokenRequests.get(0))
                    .isTrue();
            assertThat(authorizations).isNotEmpty().allMatch("Bearer t0ken-for-test"::equals);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void without_a_token_endpoint_the_lookups_carry_no_token() throws Exception {
        List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/apis/registry/v3", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            var facade = SchemaRegistryClients.facade(Map.of(
                    "apicurio.registry.url",
                    "http://localhost:" + server.getAddress().getPort() + "/apis/registry/v3"));
            assertThat(catchThrowable(() -> facade.getSchemaByContentId(1L))).isNotNull();
            assertThat(authorizations).isNotEmpty().allMatch("null"::equals);
        } finally {
            server.stop(0);
        }
    }
}
