package org.tandem.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.testing.Fixtures;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.RunningServices;
import org.tandem.testing.TestOrganisation;
import org.tandem.testing.WebhookReceiver;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drives every documented REST operation of the three running services with requests generated from their
 * OpenAPI documents: one that follows the document, and seeded mutations (types, sizes, encodings, missing
 * and extra fields, hostile path and query values), with and without valid tokens. Every answer must be
 * below 500, carry no stack trace, and every non-2xx answer must be {@code application/problem+json}.
 *
 * <p>Seed: {@code -Dtandem.fuzz.seed=N} (printed at the start); mutations per operation:
 * {@code -Dtandem.fuzz.per-operation=N} (default 40).
 */
class ApiFuzzIT {

    static final long SEED = Long.getLong("tandem.fuzz.seed", 20261126L);
    static final int PER_OPERATION = Integer.getInteger("tandem.fuzz.per-operation", 40);
    static final Pattern STACK_TRACE = Pattern.compile(
            "(\\tat |\\bat (java|org|io|com|jdk|sun)\\.[\\w.$]+\\(|Caused by: |\\w+(Exception|Error): )");

    static RunningServices services;
    static KeycloakRealm realm;
    static TestOrganisation sender;
    static TestOrganisation receiver;
    static WebhookReceiver hooks;
    static String referralId;
    /** Tokens fetched once: a token lasts 15 minutes, longer than the run. */
    static String senderCaseworker, senderAdmin, coordinator, receiverCaseworker, noOrganisation;

    static String endpointId;
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeAll
    static void start() {
        // the fuzzer sends thousands of requests from one organisation; the per-organisation limit has its own test
        services = RunningServices.start(
                Map.of("TANDEM_RATE_LIMIT_PER_SECOND", "5000", "TANDEM_RATE_LIMIT_BURST", "20000"));
        realm = KeycloakRealm.get();
        sender = realm.createOrganisation("CY");
        receiver = realm.createOrganisation("DE");
        hooks = new WebhookReceiver();
        senderCaseworker = sender.caseworkerToken();
        senderAdmin = sender.adminToken();
        coordinator = realm.coordinatorToken();
        receiverCaseworker = receiver.caseworkerToken();
        noOrganisation = realm.tokenWithoutOrganisation("caseworker");
        Members.join(services, realm, sender, "Fuzz Sender");
        Members.join(services, realm, receiver, "Fuzz Receiver");
        endpointId = Members.subscribe(services, sender, hooks.url("/fuzz")).id();
        String body = Fixtures.referral(receiver.id().toString());
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    var r = given().baseUri(services.referralUrl())
                            .auth()
                            .oauth2(senderCaseworker)
                            .contentType(ContentType.JSON)
                            .body(body)
                            .when()
                            .post("/api/v1/referrals")
                            .then()
                            .extract();
                    referralId = r.statusCode() == 201 ? r.jsonPath().getString("id") : null;
                    return referralId != null;
                });
    }

    @AfterAll
    static void stop() {
        if (hooks != null) {
            hooks.close();
        }
        if (services != null) {
            services.close();
        }
    }

    /** Real ids where the path names a resource, so that valid requests get past the lookup. */
    static String pathValue(String templateAndParam) {
        String template = templateAndParam.substring(0, templateAndParam.indexOf('#'));
        if (templateAndParam.startsWith("organisation#")) {
            return receiver.id().toString();
        }
        if (template.contains("/referrals/{")) {
            return referralId;
        }
        if (template.contains("/organisations/{")) {
            return sender.id().toString();
        }
        if (template.contains("/endpoints/{")) {
            return endpointId;
        }
        return UUID.randomUUID().toString();
    }

    record Answer(int status, String contentType, String body) {}

    static Answer send(String baseUrl, OpenApiRequests.FuzzRequest r, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + r.path()))
                .timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (r.contentType() != null) {
            b.header("Content-Type", r.contentType());
        }
        if (r.method().equals("POST")) {
            b.header("Idempotency-Key", UUID.randomUUID().toString());
        }
        HttpRequest.BodyPublisher body = r.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(r.body());
        HttpResponse<String> res = HTTP.send(b.method(r.method(), body).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(
                res.statusCode(), res.headers().firstValue("Content-Type").orElse(""), res.body());
    }

    /** What is wrong with an answer, or null. */
    static String verdict(Answer a) {
        if (a.status() >= 500) {
            return "server error " + a.status();
        }
        if (STACK_TRACE.matcher(a.body()).find()) {
            return "stack trace in the body";
        }
        if ((a.status() < 200 || a.status() >= 300)
                && a.status() != 304
                && !a.contentType().startsWith("application/problem+json")) {
            return a.status() + " with content type '" + a.contentType() + "'";
        }
        return null;
    }

    static int methodOrder(String method) {
        return switch (method) {
            case "GET", "HEAD" -> 0;
            case "DELETE" -> 2;
            default -> 1;
        };
    }

    @Test
    void every_documented_operation_answers_mutated_requests_with_problems_and_never_a_server_error() throws Exception {
        System.out.println("[fuzz] seed " + SEED + ", " + PER_OPERATION + " mutations per operation");
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int operations = 0;
        int requests = 0;
        for (String base : List.of(services.registryUrl(), services.referralUrl(), services.notificationUrl())) {
            String doc = HTTP.send(
                            HttpRequest.newBuilder(URI.create(base + "/q/openapi?format=json"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            OpenApiRequests generator = new OpenApiRequests(doc, ApiFuzzIT::pathValue);
            List<OpenApiRequests.Op> ops = new ArrayList<>(generator.operations());
            ops.sort(Comparator.comparingInt((OpenApiRequests.Op o) -> methodOrder(o.method()))
                    .thenComparing(OpenApiRequests.Op::name));
            for (OpenApiRequests.Op op : ops) {
                if (op.streams()) {
                    continue; // a live feed never ends; its own tests cover it
                }
                operations++;
                OpenApiRequests.FuzzRequest valid = generator.valid(op);
                // the first role that gets past authorisation carries the mutations to the validation
                String token = senderCaseworker;
                for (String candidate : List.of(senderCaseworker, senderAdmin, coordinator, receiverCaseworker)) {
                    Answer a = send(base, valid, candidate);
                    requests++;
                    statuses.merge(a.status(), 1, Integer::sum);
                    record(failures, valid, "valid", a);
                    if (a.status() != 401 && a.status() != 403 && a.status() != 404) {
                        token = candidate;
                        break;
                    }
                }
                for (String badToken : new String[] {null, "not.a.token", noOrganisation}) {
                    Answer a = send(base, valid, badToken);
                    requests++;
                    statuses.merge(a.status(), 1, Integer::sum);
                    record(failures, valid, "token " + badToken, a);
                }
                for (OpenApiRequests.FuzzRequest m : generator.mutations(op, random, PER_OPERATION)) {
                    Answer a = send(base, m, token);
                    requests++;
                    statuses.merge(a.status(), 1, Integer::sum);
                    record(failures, m, m.variant(), a);
                }
            }
        }
        System.out.println("[fuzz] " + operations + " operations, " + requests + " requests, statuses " + statuses
                + " at " + Instant.now());
        assertThat(operations).as("operations found in the OpenAPI documents").isGreaterThan(10);
        assertThat(failures).as("answers that break the rules").isEmpty();
    }

    @Test
    void what_the_fuzzer_found_stays_fixed() throws Exception {
        // a NUL in a query reached PostgreSQL's text search and failed with a 500
        Answer nul = send(
                services.registryUrl(),
                new OpenApiRequests.FuzzRequest("search", "NUL", "GET", "/api/v1/organisations?q=a%00b", null, null),
                senderCaseworker);
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.contentType()).startsWith("application/problem+json");
        assertThat(nul.body()).contains("NUL");
        // an address over the codec's 4096-byte line limit got a bare 414 without a body
        Answer longUri = send(
                services.referralUrl(),
                new OpenApiRequests.FuzzRequest(
                        "list", "long", "GET", "/api/v1/referrals?limit=" + "9".repeat(9000), null, null),
                senderCaseworker);
        assertThat(longUri.status()).isEqualTo(414);
        assertThat(longUri.contentType()).startsWith("application/problem+json");
        // a NUL inside a JSON string is refused where it is read, naming the field
        String withNul = Fixtures.referral(receiver.id().toString())
                .replace("\"formVersion\":\"2026-1\"", "\"formVersion\":\"2026\\u00001\"");
        assertThat(withNul).contains("\\u0000");
        Answer body = send(
                services.referralUrl(),
                new OpenApiRequests.FuzzRequest(
                        "create",
                        "NUL",
                        "POST",
                        "/api/v1/referrals",
                        "application/json",
                        withNul.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                senderCaseworker);
        assertThat(body.status()).isEqualTo(400);
        assertThat(body.contentType()).startsWith("application/problem+json");
        assertThat(body.body()).contains("consent.formVersion").contains("NUL");
    }

    static void record(List<String> failures, OpenApiRequests.FuzzRequest r, String variant, Answer a) {
        String wrong = verdict(a);
        if (wrong != null) {
            String body = a.body().length() > 300 ? a.body().substring(0, 300) + "..." : a.body();
            failures.add(
                    r.method() + " " + r.path().substring(0, Math.min(r.path().length(), 120)) + " [" + variant + "]: "
                            + wrong + " :: " + body);
        }
    }
}
