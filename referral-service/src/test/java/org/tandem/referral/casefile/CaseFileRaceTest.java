package org.tandem.referral.casefile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.client.DataCategory;
import org.tandem.testing.TandemInfraResource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.referral.casefile.CaseFileApiTest.JOSE;
import static org.tandem.referral.casefile.CaseFileApiTest.receiver;
import static org.tandem.referral.casefile.CaseFileApiTest.receiverKeys;
import static org.tandem.referral.casefile.CaseFileApiTest.sender;

/**
 * Releases and shreddings at the same moment (docs/case-files.md, "Releases and shredding at the same time";
 * docs/security.md, "4. Case-file races"): two threads released by one latch send real HTTP requests, round
 * after round, with seeded random head starts so that each side sometimes wins. Whatever the order, a release
 * that got the file is recorded and stays visible after the shredding, a release that lost gets 410 and no
 * bytes, and the database keeps neither key nor sealed bytes.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
@WithTestResource(RegistryKeysServer.class)
class CaseFileRaceTest {

    static final long SEED = Long.getLong("tandem.race.seed", 20261204L);
    static final int ROUNDS = Integer.getInteger("tandem.race.rounds", 30);
    static final ExecutorService THREADS = Executors.newFixedThreadPool(2);

    @BeforeAll
    static void organisations() {
        CaseFileApiTest.organisations(); // the same organisations, keys and fixtures as the protocol tests
    }

    @AfterAll
    static void close() {
        THREADS.shutdownNow();
        CaseFileApiTest.close();
    }

    /** An accepted referral with a stored case file, and the JWE that was uploaded. */
    record Accepted(UUID id, String jwe) {}

    static Accepted acceptedWithFile(int round) {
        UUID id = CaseFileApiTest.submitted();
        String jwe = CaseFileApiTest.seal(
                id,
                ("Race fixture " + round).getBytes(StandardCharsets.UTF_8),
                EnumSet.of(DataCategory.HEALTH),
                receiverKeys.encryption());
        CaseFileApiTest.upload(id, jwe).statusCode(201);
        CaseFileApiTest.transition(receiver, "acknowledgement", id).statusCode(200);
        CaseFileApiTest.transition(receiver, "acceptance", id).statusCode(200);
        return new Accepted(id, jwe);
    }

    /** Runs both calls at once, each after its own head start in microseconds. */
    static List<ExtractableResponse<Response>> together(
            Random random, Supplier<ExtractableResponse<Response>> a, Supplier<ExtractableResponse<Response>> b)
            throws Exception {
        long[] delays = {random.nextInt(15_000), random.nextInt(15_000)};
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ExtractableResponse<Response>>> running = new ArrayList<>();
        List<Supplier<ExtractableResponse<Response>>> calls = List.of(a, b);
        for (int i = 0; i < 2; i++) {
            int n = i;
            running.add(THREADS.submit(() -> {
                start.await();
                TimeUnit.MICROSECONDS.sleep(delays[n]);
                return calls.get(n).get();
            }));
        }
        start.countDown();
        return List.of(running.get(0).get(60, TimeUnit.SECONDS), running.get(1).get(60, TimeUnit.SECONDS));
    }

    static ExtractableResponse<Response> release(UUID id) {
        return given().auth()
                .oauth2(receiver.caseworkerToken())
                .accept(JOSE + ", application/problem+json")
                .when()
                .get("/api/v1/referrals/{id}/case-file", id)
                .then()
                .extract();
    }

    static ExtractableResponse<Response> post(org.tandem.testing.TestOrganisation org, String path, UUID id) {
        return given().auth()
                .oauth2(org.caseworkerToken())
                .when()
                .post("/api/v1/referrals/{id}/" + path, id)
                .then()
                .extract();
    }

    static void nothingLeft(UUID id, String round) {
        assertThat(Database.count("select count(*) from referral.case_file_key where referral_id = '" + id + "'"))
                .as(round + ": data keys left")
                .isZero();
        assertThat(Database.count("select count(*) from referral.case_file where sealed is not null and referral_id = '"
                        + id + "'"))
                .as(round + ": sealed bytes left")
                .isZero();
    }

    @Test
    void a_release_racing_a_withdrawal_either_got_the_file_and_is_recorded_or_gets_410_and_nothing() throws Exception {
        Random random = new Random(SEED);
        int released = 0;
        int refused = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String name = "round " + round + " (seed " + SEED + ")";
            Accepted a = acceptedWithFile(round);
            var answers = together(random, () -> release(a.id()), () -> post(sender, "withdrawal", a.id()));
            var fetch = answers.get(0);
            assertThat(answers.get(1).statusCode())
                    .as(name + ": the withdrawal")
                    .isEqualTo(200);

            JsonPath status = CaseFileApiTest.status(sender, a.id())
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<String> audit = Database.auditActions(a.id());
            assertThat(status.getString("shreddedAt")).as(name + ": shredded").isNotNull();
            if (fetch.statusCode() == 200) {
                released++;
                assertThat(fetch.asString()).as(name + ": the released file").isEqualTo(a.jwe());
                // the fetch committed before the shredding, and the shredding did not hide it
                assertThat(status.getInt("releaseCount"))
                        .as(name + ": releases recorded")
                        .isEqualTo(1);
                assertThat(status.getString("firstReleasedAt"))
                        .as(name + ": first release recorded")
                        .isNotNull();
                assertThat(status.getString("deletionReceipt.status"))
                        .as(name + ": receipt owed")
                        .isEqualTo("MISSING");
                assertThat(audit).as(name + ": audit").containsSubsequence("case-file.release", "case-file.shred");
            } else {
                refused++;
                assertThat(fetch.statusCode())
                        .as(name + ": a release that lost the race (" + fetch.asString() + ")")
                        .isEqualTo(410);
                assertThat(fetch.contentType()).startsWith("application/problem+json");
                assertThat(fetch.jsonPath().getString("type")).isEqualTo("urn:problem-type:tandem:case-file-destroyed");
                assertThat(fetch.asString())
                        .as(name + ": no bytes in the refusal")
                        .doesNotContain(a.jwe().substring(0, 40));
                assertThat(status.getInt("releaseCount"))
                        .as(name + ": releases recorded")
                        .isZero();
                assertThat(status.getString("firstReleasedAt")).isNull();
                assertThat(status.getString("deletionReceipt.status")).isEqualTo("NOT_REQUIRED");
                assertThat(audit)
                        .as(name + ": audit")
                        .contains("case-file.shred")
                        .doesNotContain("case-file.release");
            }
            nothingLeft(a.id(), name);
            // and later releases never bring the file back
            assertThat(release(a.id()).statusCode())
                    .as(name + ": a later release")
                    .isEqualTo(410);
        }
        // the head starts make both orders happen; a run where one never did has not tested the race
        assertThat(released).as("rounds in which the release won").isPositive();
        assertThat(refused).as("rounds in which the withdrawal won").isPositive();
    }

    /** An upload racing a cancellation must not leave a file (and its key) on a cancelled referral. */
    @Test
    void an_upload_racing_a_cancellation_leaves_no_key_and_no_bytes() throws Exception {
        Random random = new Random(SEED + 1);
        int stored = 0;
        int closed = 0;
        for (int round = 0; round < ROUNDS / 3; round++) {
            String name = "round " + round + " (seed " + (SEED + 1) + ")";
            UUID id = CaseFileApiTest.submitted();
            String jwe = CaseFileApiTest.seal(
                    id,
                    "Race fixture".getBytes(StandardCharsets.UTF_8),
                    EnumSet.of(DataCategory.HEALTH),
                    receiverKeys.encryption());
            var answers = together(
                    random,
                    () -> given().auth()
                            .oauth2(sender.caseworkerToken())
                            .contentType(JOSE)
                            .body(jwe)
                            .when()
                            .post("/api/v1/referrals/{id}/case-file", id)
                            .then()
                            .extract(),
                    () -> post(sender, "cancellation", id));
            assertThat(answers.get(1).statusCode())
                    .as(name + ": the cancellation")
                    .isEqualTo(200);
            int upload = answers.get(0).statusCode();
            if (upload == 201) {
                stored++;
                CaseFileApiTest.status(sender, id)
                        .statusCode(200)
                        .body("shreddedAt", org.hamcrest.Matchers.notNullValue());
            } else {
                closed++;
                assertThat(upload)
                        .as(name + ": an upload that lost the race ("
                                + answers.get(0).asString() + ")")
                        .isEqualTo(409);
                assertThat(answers.get(0).jsonPath().getString("type"))
                        .isEqualTo("urn:problem-type:tandem:case-file-closed");
            }
            nothingLeft(id, name);
        }
        assertThat(stored + closed).isEqualTo(ROUNDS / 3);
    }
}
