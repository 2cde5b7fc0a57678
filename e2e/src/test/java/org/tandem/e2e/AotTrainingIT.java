package org.tandem.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import org.tandem.devstack.JvmCache;
import org.tandem.devstack.Services;
import org.tandem.testing.Fixtures;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.RunningServices;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The training run of the JDK 25 AOT cache (docs/operations.md, "The AOT cache"). It runs first among the
 * end-to-end tests (alphabetical order, e2e/pom.xml), so that the others run with the cache it writes. The
 * packaged services run with {@code -XX:AOTCacheOutput} against the build's own test infrastructure while real
 * work goes through the public API: organisations join, referrals go through their lifecycle with signed
 * webhooks to both sides, the directory is searched, lists and timelines are read. When the services stop, each
 * writes {@code <module>/target/aot/app.aot}; the test then checks that every cache is there, belongs to the
 * jars that were trained, and holds method profiles (JEP 515) of Tandem's own code.
 *
 * <p>Nothing of this reaches a real network: the organisations, users and referrals are the test realm's and the
 * test database's, as in every other end-to-end test. On a JDK older than 25 the test is skipped: there is no
 * cache to train.
 */
class AotTrainingIT {

    /** How long the referral work runs; {@code -Dtandem.aot.training-seconds} changes it. */
    static final Duration WORK = Duration.ofSeconds(Long.getLong("tandem.aot.training-seconds", 40));

    /** Callers at once: more than the two cores, so that the services train under contention, as they serve. */
    static final int WORKERS = 4;

    /** Full flows with every read per worker before the transitions alone (every endpoint's classes). */
    static final int MIXED_FLOWS_PER_WORKER = 2;

    static final List<String> TRAINED = List.of("registry-service", "referral-service", "notification-service");

    @Test
    void the_services_trained_on_real_work_write_caches_with_method_profiles() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Runtime.version().feature() >= JvmCache.FIRST_JDK,
                "the AOT cache needs JDK " + JvmCache.FIRST_JDK + "; this is " + Runtime.version());
        Path repo = RunningServices.repoRoot();
        KeycloakRealm realm = KeycloakRealm.get();
        int flows;
        // the training sends more than one organisation's default rate; the limit is not what it trains
        Map<String, String> env = Map.of("TANDEM_RATE_LIMIT_PER_SECOND", "5000", "TANDEM_RATE_LIMIT_BURST", "20000");
        try (RunningServices services = RunningServices.start(env, 1, JvmCache.Mode.TRAIN);
                var senderHooks = new WebhookReceiver();
                var receiverHooks = new WebhookReceiver()) {
            TestOrganisation sender = realm.createOrganisation("CY");
            TestOrganisation receiver = realm.createOrganisation("DE");
            Members.join(services, realm, sender, "Training Sender");
            Members.join(services, realm, receiver, "Training Receiver");
            Members.subscribe(services, sender, senderHooks);
            Members.subscribe(services, receiver, receiverHooks);
            // referral-service learns of the approvals through the organisations topic
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> createReferral(services, sender, receiver) != null);

            // First every kind of call, so that the cache loads and links the classes of every endpoint; then,
            // for most of the time, only what the benchmark and a busy network repeat: referrals created,
            // submitted, acknowledged and accepted, with their signed webhooks. (Measured against the old mix of
            // every call all the time, this alone changed nothing after the first minute; what did was the JIT's
            // delay after the profiles: docs/performance.md, "The trained profiles, and the JIT's delay after them".)
            AtomicInteger done = new AtomicInteger();
            AtomicInteger lifecycles = new AtomicInteger();
            long until = System.nanoTime() + WORK.toNanos();
            try (ExecutorService pool = Executors.newFixedThreadPool(WORKERS)) {
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < WORKERS; w++) {
                    workers.add(pool.submit(() -> {
                        for (int i = 0; i < MIXED_FLOWS_PER_WORKER && System.nanoTime() < until; i++) {
                            oneReferral(services, sender, receiver);
                            readDirectory(services, sender);
                            done.incrementAndGet();
                        }
                        while (System.nanoTime() < until) {
                            transitions(services, sender, receiver);
                            lifecycles.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : workers) {
                    f.get();
                }
            }
            // every accepted referral's webhook reached the receiver's endpoint too
            receiverHooks.await(
                    r -> r.body().contains("referral.accepted"),
                    done.get() + lifecycles.get(),
                    Duration.ofSeconds(120));
            flows = done.get();
            // every step's webhook reached the sender: the consumers and the dispatcher did their work too
            senderHooks.await(r -> r.body().contains("referral.completed"), flows, Duration.ofSeconds(120));
            given().baseUri(services.webUrl()).when().get("/config.json").then().statusCode(200);
        }
        // a busy 2-core machine gets through every full flow in the 40 s; what matters is that real work ran
        assertThat(flows).as("full referral flows in the training run").isGreaterThanOrEqualTo(3);

        for (String module : TRAINED) {
            Services.Service s = Services.ALL.stream()
                    .filter(x -> x.module().equals(module))
                    .findFirst()
                    .orElseThrow();
            Path cache = JvmCache.dir(repo, s).resolve("app.aot");
            assertThat(cache).as(module + "'s AOT cache").isRegularFile();
            JvmCache.Choice choice = JvmCache.choose(
                    JvmCache.Mode.AOT, repo, s, Runtime.version().feature());
            assertThat(choice.mode()).as(choice.note()).isEqualTo(JvmCache.Mode.AOT);
            Profiles profiles = profiles(s.jar(repo), cache);
            assertThat(profiles.all())
                    .as(module + ": methods with a profile (JEP 515) in the cache")
                    .isGreaterThan(1_000);
            assertThat(profiles.tandem())
                    .as(module + ": Tandem's own methods with a profile in the cache")
                    .isPositive();
            if (module.equals("referral-service")) {
                assertThat(profiles.service())
                        .as("referral-service's own methods with a profile: the training's main work")
                        .isGreaterThan(5);
            }
        }
    }

    static String createReferral(RunningServices services, TestOrganisation sender, TestOrganisation receiver) {
        var r = given().baseUri(services.referralUrl())
                .auth()
                .oauth2(sender.caseworkerToken())
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                .body(Fixtures.referral(receiver.id().toString()))
                .when()
                .post("/api/v1/referrals")
                .then()
                .extract();
        return r.statusCode() == 201 ? r.jsonPath().getString("id") : null;
    }

    /** What the benchmark repeats: a referral created, submitted, acknowledged and accepted. */
    static void transitions(RunningServices services, TestOrganisation sender, TestOrganisation receiver) {
        String id = createReferral(services, sender, receiver);
        assertThat(id).isNotNull();
        step(services, sender, id, "submission", "SUBMITTED");
        step(services, receiver, id, "acknowledgement", "ACKNOWLEDGED");
        step(services, receiver, id, "acceptance", "ACCEPTED");
    }

    /** One referral from draft to completion, with the reads a caseworker makes on the way. */
    static void oneReferral(RunningServices services, TestOrganisation sender, TestOrganisation receiver) {
        String id = createReferral(services, sender, receiver);
        assertThat(id).isNotNull();
        step(services, sender, id, "submission", "SUBMITTED");
        given().baseUri(services.referralUrl())
                .auth()
                .oauth2(receiver.caseworkerToken())
                .when()
                .get("/api/v1/referrals/{id}", id)
                .then()
                .statusCode(200);
        step(services, receiver, id, "acknowledgement", "ACKNOWLEDGED");
        step(services, receiver, id, "acceptance", "ACCEPTED");
        step(services, receiver, id, "start", "IN_PROGRESS");
        given().baseUri(services.referralUrl())
                .auth()
                .oauth2(receiver.caseworkerToken())
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                .body("{\"outcome\":\"SERVICES_PROVIDED\"}")
                .when()
                .post("/api/v1/referrals/{id}/completion", id)
                .then()
                .statusCode(200);
        given().baseUri(services.referralUrl())
                .auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .get("/api/v1/referrals/{id}/timeline", id)
                .then()
                .statusCode(200);
        given().baseUri(services.referralUrl())
                .auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .get("/api/v1/referrals")
                .then()
                .statusCode(200);
    }

    static void step(RunningServices services, TestOrganisation who, String id, String step, String status) {
        given().baseUri(services.referralUrl())
                .auth()
                .oauth2(who.caseworkerToken())
                .header("Idempotency-Key", java.util.UUID.randomUUID().toString())
                .when()
                .post("/api/v1/referrals/{id}/" + step, id)
                .then()
                .statusCode(200)
                .body("status", equalTo(status));
    }

    /** The directory's searches and a profile, and the organisation's own webhook deliveries. */
    static void readDirectory(RunningServices services, TestOrganisation who) {
        for (String query : List.of("country=DE", "service=SAFE_ACCOMMODATION&language=eng", "q=Training")) {
            given().baseUri(services.registryUrl())
                    .auth()
                    .oauth2(who.caseworkerToken())
                    .when()
                    .get("/api/v1/organisations?" + query)
                    .then()
                    .statusCode(200);
        }
        given().baseUri(services.registryUrl())
                .auth()
                .oauth2(who.caseworkerToken())
                .when()
                .get("/api/v1/organisations/{id}", who.id())
                .then()
                .statusCode(200);
        given().baseUri(services.notificationUrl())
                .auth()
                .oauth2(who.adminToken())
                .when()
                .get("/api/v1/webhooks/endpoints")
                .then()
                .statusCode(200);
    }

    /**
     * How many methods the cache holds a profile for (all, Tandem's, the service's own package): the JVM prints
     * the cache's training data ({@code -XX:+AOTPrintTrainingInfo}) when it maps the cache, one line per method,
     * with {@code mdo=0x...} when a profile (MethodData) was recorded.
     */
    record Profiles(long all, long tandem, long service) {}

    static Profiles profiles(Path jar, Path cache) throws Exception {
        String own = "org/tandem/"
                + jar.getParent()
                        .getParent()
                        .getParent()
                        .getFileName()
                        .toString()
                        .replace("-service", "") + "/";
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:AOTCache=" + cache,
                        "-XX:AOTMode=on",
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-XX:+UnlockDiagnosticVMOptions",
                        "-XX:+AOTPrintTrainingInfo",
                        "-cp",
                        jar.toString(),
                        "-version")
                .redirectErrorStream(true)
                .start();
        long all = 0;
        long tandem = 0;
        long service = 0;
        try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = in.readLine()) != null; ) {
                if (l.contains(" M ") && l.contains("mdo=0x")) {
                    all++;
                    tandem += l.contains(" M org/tandem/") ? 1 : 0;
                    service += l.contains(" M " + own) ? 1 : 0;
                }
            }
        }
        assertThat(p.waitFor()).as("java -XX:AOTMode=on with " + cache).isZero();
        assertThat(Files.size(cache)).isPositive();
        return new Profiles(all, tandem, service);
    }
}
