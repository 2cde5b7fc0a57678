package org.tandem.notification.delivery;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.notification.support.Api;
import org.tandem.notification.support.Events;
import org.tandem.notification.support.HostileServer;
import org.tandem.notification.support.HostileServer.Behaviour;
import org.tandem.notification.support.TestClock;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.SmtpSink;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every webhook endpoint is hostile (docs/security.md, "Hostile webhook endpoints"). Each test puts one
 * hostile behaviour behind a real socket on loopback ({@link HostileServer}), subscribes it through the REST
 * API and publishes referral events to it, so that the service attempts it through the real delivery path,
 * {@code tandem.webhooks.per-endpoint} connections at once and again on the retry schedule. Per behaviour:
 * every attempt is a failure with a clear error within the deadline (plus a margin), the service closes each
 * connection by then, its heap after GC and its threads stay where they were, and a well-behaved endpoint of
 * another organisation gets its deliveries at its usual latency meanwhile.
 *
 * <p>The test JVM runs with the production heap ({@code -Xmx256m -XX:+ExitOnOutOfMemoryError}, set in this
 * module's pom as in the container image): a service that buffered an endless answer would die here as it
 * would in production.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "notification"))
class HostileEndpointTest {

    private static final Logger LOG = Logger.getLogger(HostileEndpointTest.class);
    static final Duration WAIT = Duration.ofSeconds(60);
    /** What an attempt may take beyond the deadline: the event loop's timer and recording the result. */
    static final Duration MARGIN = Duration.ofMillis(1500);
    /**
     * Known limit: the first HTTPS attempts after startup may end only at WebhookSender's backstop (the deadline
     * plus 2 s), while Vert.x builds its TLS context on the event loop (seen: 4.4 s for a 2 s deadline).
     */
    static final Duration BACKSTOP = Duration.ofSeconds(2);
    /** The heap of the service in production (deploy/kubernetes/notification-service.yaml, Dockerfile.jvm). */
    static final long PRODUCTION_HEAP = 256L * 1024 * 1024;
    /** How much the heap after GC may grow while the hostile endpoint is attempted again and again. */
    static final long HEAP_GROWTH = 24L * 1024 * 1024;

    static final TestClock CLOCK = TestClock.INSTANCE;
    static EventTopicWriter writer;
    static KeycloakRealm realm;
    static TestOrganisation sender;
    static TestOrganisation goodOrg;
    static WebhookReceiver good;
    static String goodEndpoint;
    static Duration deadline;
    static int perEndpoint;

    @BeforeAll
    static void setUp() {
        assertThat(Runtime.getRuntime().maxMemory())
                .as("the test JVM has the production heap limit (-Xmx256m, in the pom)")
                .isLessThanOrEqualTo(PRODUCTION_HEAP);
        writer = new EventTopicWriter();
        realm = KeycloakRealm.get();
        SmtpSink.get(); // the coordinators are told by e-mail that the hostile endpoints keep failing
        sender = realm.createOrganisation("AT");
        goodOrg = realm.createOrganisation("BG");
        good = new WebhookReceiver();
        deadline = ConfigProvider.getConfig().getValue("tandem.webhooks.timeout", Duration.class);
        perEndpoint = ConfigProvider.getConfig().getValue("tandem.webhooks.per-endpoint", Integer.class);
    }

    @AfterAll
    static void tearDown() {
        writer.close();
        good.close();
    }

    @AfterEach
    void resetClock() {
        CLOCK.reset();
    }

    @Test
    void an_endless_body_is_cut_off_after_a_few_kib() {
        survives(Behaviour.ENDLESS_BODY, false, attempt -> {
            assertThat(attempt.getString("error")).isEqualTo("answer too large");
            assertThat(attempt.getInt("statusCode")).isEqualTo(200);
        });
    }

    @Test
    void a_body_dripping_one_byte_a_second_ends_at_the_deadline() {
        survives(Behaviour.DRIPPING_BODY, false, attempt -> {
            assertThat(attempt.getString("error")).isEqualTo("timeout");
            assertThat(attempt.getLong("latencyMs")).isGreaterThanOrEqualTo(deadline.toMillis() - 100);
        });
    }

    @Test
    void headers_that_never_end_are_cut_off() {
        survives(
                Behaviour.ENDLESS_HEADERS,
                false,
                attempt -> assertThat(attempt.getString("error")).isEqualTo("answer too large"));
    }

    @Test
    void a_server_that_never_answers_is_given_up_at_the_deadline() {
        survives(Behaviour.SILENT, false, attempt -> {
            assertThat(attempt.getString("error")).isEqualTo("timeout");
            assertThat(attempt.getLong("latencyMs")).isGreaterThanOrEqualTo(deadline.toMillis() - 100);
        });
    }

    @Test
    void a_tls_handshake_that_stalls_is_given_up_at_the_deadline() {
        survives(Behaviour.STALLED_TLS, true, attempt -> {
            assertThat(attempt.getString("error")).isEqualTo("timeout");
            assertThat(attempt.getLong("latencyMs")).isGreaterThanOrEqualTo(deadline.toMillis() - 100);
        });
    }

    @Test
    void a_redirect_loop_is_not_followed() {
        HostileServer server = survives(Behaviour.REDIRECT_LOOP, false, attempt -> {
            assertThat(attempt.getString("error")).isEqualTo("redirect not followed");
            assertThat(attempt.getInt("statusCode")).isEqualTo(302);
        });
        assertThat(server.requests())
                .as("one request per attempt: the redirect was never followed")
                .isEqualTo(attemptsMade);
    }

    @Test
    void a_content_length_of_one_gigabyte_fails_at_once() {
        survives(Behaviour.HUGE_CONTENT_LENGTH, false, attempt -> {
            assertThat(attempt.getString("error")).isEqualTo("answer too large");
            assertThat(attempt.getLong("latencyMs"))
                    .as("refused on the header, without waiting for the body")
                    .isLessThan(deadline.toMillis() / 2);
        });
    }

    /** Attempts made to the hostile endpoint in the last {@link #survives} run. */
    int attemptsMade;

    /**
     * Puts {@code behaviour} behind an endpoint, has the service attempt it in three rounds (the first
     * attempts, the retry after the schedule's first wait, and the next after its second), checks each
     * attempt with {@code checkAttempt} and the service's heap, threads and connections, and the good
     * endpoint's deliveries meanwhile. Returns the (closed) server for further checks.
     */
    HostileServer survives(Behaviour behaviour, boolean tls, Consumer<JsonPath> checkAttempt) {
        if (goodEndpoint == null) { // here, not in setUp: the REST API is up only once the first test runs
            goodEndpoint = Api.subscribe(goodOrg.adminToken(), good, null, "*").getString("id");
        }
        long heapBefore = heapAfterGc();
        TestOrganisation hostileOrg = realm.createOrganisation("MT");
        String token = hostileOrg.adminToken();
        try (HostileServer server = new HostileServer(behaviour)) {
            String endpoint = Api.subscribe(token, tls ? server.httpsUrl() : server.url(), null, "*")
                    .getString("id");
            try {
                int deliveries = perEndpoint + 2;
                for (int i = 0; i < deliveries; i++) {
                    String referral = UUID.randomUUID().toString();
                    writer.publish(Topics.REFERRALS, referral, Events.submitted(referral, sender, hostileOrg));
                }
                // the first test of a run also waits for the consumer to join its group
                awaitTrue(
                        () -> !server.connections().isEmpty(),
                        Duration.ofSeconds(90),
                        "the service connects to the hostile endpoint");
                aWellBehavedEndpointIsServedMeanwhile();
                List<String> ids = awaitDeliveries(token, endpoint, deliveries);
                List<JsonPath> round = awaitAttempts(token, endpoint, ids, 1, checkAttempt, tls);
                int threadsAfterFirstRound = serviceThreads();
                long heapAfterFirstRound = heapAfterGc();
                for (int attempt = 2; attempt <= 3; attempt++) {
                    // retried on the normal schedule: move the service's clock to the latest next attempt
                    CLOCK.advanceTo(round.stream()
                            .map(d -> Instant.parse(d.getString("nextAttemptAt")))
                            .max(Comparator.naturalOrder())
                            .orElseThrow());
                    round = awaitAttempts(token, endpoint, ids, attempt, checkAttempt, tls);
                    aWellBehavedEndpointIsServedMeanwhile();
                }
                long heapAfter = heapAfterGc();
                int threadsAfter = serviceThreads();
                LOG.infof(
                        "%s: heap after GC %d KiB before, %d KiB after the first round, %d KiB at the end; threads %d, then %d;"
                                + " %d connections, longest %s",
                        behaviour,
                        heapBefore / 1024,
                        heapAfterFirstRound / 1024,
                        heapAfter / 1024,
                        threadsAfterFirstRound,
                        threadsAfter,
                        server.connections().size(),
                        server.longestConnection());
                assertThat(heapAfter)
                        .as("heap after GC (before: %s)", heapBefore)
                        .isLessThan(heapBefore + HEAP_GROWTH)
                        .isLessThan(PRODUCTION_HEAP * 3 / 4);
                assertThat(threadsAfter)
                        .as("live threads of the service do not grow across attempts")
                        .isLessThanOrEqualTo(threadsAfterFirstRound + 2);
                // every connection is torn down by the service: at once, at the deadline, or (a kept-alive one) when
                // idle
                if (behaviour == Behaviour.REDIRECT_LOOP) {
                    // answers read completely leave kept-alive connections, at most one per request in flight
                    assertThat(server.openConnections()).isLessThanOrEqualTo(perEndpoint);
                } else {
                    awaitTrue(
                            () -> server.openConnections() == 0,
                            deadline.plus(MARGIN).plusSeconds(2),
                            "the service closes every connection to the hostile endpoint");
                    assertThat(server.longestConnection())
                            .as("the longest connection the service held open")
                            .isLessThanOrEqualTo(deadline.plus(MARGIN).plus(tls ? BACKSTOP : Duration.ZERO));
                }
            } finally {
                disable(token, endpoint);
            }
            // every attempt still in flight is recorded by now
            Api.pause(deadline.plus(MARGIN).toMillis());
            attemptsMade =
                    Api.deliveries(token, endpoint, "?limit=200").getList("items.attempts", Integer.class).stream()
                            .mapToInt(Integer::intValue)
                            .sum();
            return server;
        }
    }

    /** A well-behaved endpoint of another organisation gets new deliveries at once, as ever. */
    static void aWellBehavedEndpointIsServedMeanwhile() {
        int n = 3;
        List<String> referrals = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String referral = UUID.randomUUID().toString();
            referrals.add(referral);
            writer.publish(Topics.REFERRALS, referral, Events.submitted(referral, sender, goodOrg));
        }
        good.await(r -> referrals.stream().anyMatch(r.body()::contains), n, WAIT);
        List<Map<String, Object>> items = Api.deliveries(goodOrg.adminToken(), goodEndpoint, "?limit=" + n)
                .getList("items");
        assertThat(items).hasSize(n);
        for (Map<String, Object> d : items) {
            JsonPath one = Api.delivery(goodOrg.adminToken(), goodEndpoint, (String) d.get("id"));
            assertThat(one.getString("status")).isEqualTo("DELIVERED");
            Duration queued = Duration.between(
                    Instant.parse(one.getString("createdAt")),
                    Instant.parse(one.getString("attemptLog[0].attemptedAt")));
            assertThat(queued).as("time a good delivery waited for a worker").isLessThan(Duration.ofMillis(1000));
            assertThat(one.getLong("attemptLog[0].latencyMs"))
                    .as("the good endpoint's latency")
                    .isLessThan(1000);
        }
    }

    static List<String> awaitDeliveries(String token, String endpoint, int count) {
        Instant until = Instant.now().plus(WAIT);
        while (true) {
            List<String> ids = Api.deliveries(token, endpoint, "?limit=200").getList("items.id");
            if (ids.size() >= count) {
                return ids;
            }
            assertThat(Instant.now())
                    .as("%s deliveries stored for the hostile endpoint, so far %s", count, ids.size())
                    .isBefore(until);
            Api.pause(100);
        }
    }

    /** Waits until every delivery has had {@code attempt} attempts, and checks the newest one of each. */
    static List<JsonPath> awaitAttempts(
            String token, String endpoint, List<String> ids, int attempt, Consumer<JsonPath> check, boolean tls) {
        List<JsonPath> out = new ArrayList<>();
        for (String id : ids) {
            JsonPath d = Api.awaitDelivery(token, endpoint, id, j -> j.getInt("attempts") >= attempt, WAIT);
            assertThat(d.getString("status")).as("a failed attempt is retried").isEqualTo("PENDING");
            assertThat(d.getString("nextAttemptAt")).isNotNull();
            JsonPath newest = new JsonPath(d.prettify()).setRootPath("attemptLog[0]");
            check.accept(newest);
            assertThat(newest.getLong("latencyMs"))
                    .as("an attempt ends within the deadline and a margin")
                    .isLessThanOrEqualTo(deadline.plus(MARGIN)
                            .plus(tls ? BACKSTOP : Duration.ZERO)
                            .toMillis());
            out.add(d);
        }
        return out;
    }

    static void disable(String token, String endpoint) {
        String etag = given().auth()
                .oauth2(token)
                .when()
                .get("/api/v1/webhooks/endpoints/{id}", endpoint)
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");
        given().auth()
                .oauth2(token)
                .header("If-Match", etag)
                .when()
                .delete("/api/v1/webhooks/endpoints/{id}", endpoint)
                .then()
                .statusCode(204);
    }

    /** Heap in use after a full collection. */
    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Api.pause(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Live threads, without this test's own servers ({@code hostile-...}) and receiver ({@code pool-...}). */
    static int serviceThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> !t.getName().startsWith("hostile-") && !t.getName().startsWith("pool-"))
                .count();
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
        Instant until = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what + " within " + timeout).isBefore(until);
            Api.pause(50);
        }
    }
}
