package org.tandem.referral.casefile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.referral.support.Referrals;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.RawHttp;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.referral.casefile.CaseFileApiTest.JOSE;
import static org.tandem.referral.casefile.CaseFileApiTest.sender;

/**
 * Every limit a member meets answers with a problem that names it ({@code limit}) and its value ({@code max})
 * (docs/api.md, "Limits"; docs/security.md, "6. Limits a member cannot exceed"), and a body without a length
 * (Transfer-Encoding: chunked, sent over a raw socket) is held to the same limit as one with a length, on a
 * JSON endpoint and on both case-file uploads and the deletion receipt. The case-file limit is lowered here so
 * that the test sends kilobytes, not megabytes; the rate limit too, so that a burst reaches it.
 */
@QuarkusTest
@TestProfile(LimitProblemsTest.SmallLimits.class)
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
@WithTestResource(RegistryKeysServer.class)
class LimitProblemsTest {

    static final int CASE_FILE_BYTES = 4096;
    static final int BURST = 30;

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tandem.case-files.max-bytes",
                    Integer.toString(CASE_FILE_BYTES),
                    "tandem.rate-limit.burst",
                    Integer.toString(BURST),
                    "tandem.rate-limit.per-second",
                    "1");
        }
    }

    @BeforeAll
    static void organisations() {
        CaseFileApiTest.organisations();
    }

    @AfterAll
    static void close() {
        CaseFileApiTest.close();
    }

    static Map<String, String> as(TestOrganisation org, String contentType) {
        return Map.of(
                "Authorization",
                "Bearer " + org.caseworkerToken(),
                "Content-Type",
                contentType,
                "Accept",
                "application/json, application/problem+json");
    }

    static JsonPath problem(RawHttp.Answer answer, int status, String limit, long max) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().get("content-type")).startsWith("application/problem+json");
        JsonPath p = JsonPath.from(answer.body());
        assertThat(p.getString("limit")).isEqualTo(limit);
        assertThat(p.getLong("max")).isEqualTo(max);
        assertThat(p.getString("detail")).contains(limit).contains(Long.toString(max));
        return p;
    }

    static byte[] jsonOfSize(int size) {
        String start = "{\"padding\":\"";
        String end = "\"}";
        byte[] out = new byte[size];
        Arrays.fill(out, (byte) 'a');
        System.arraycopy(start.getBytes(StandardCharsets.US_ASCII), 0, out, 0, start.length());
        System.arraycopy(end.getBytes(StandardCharsets.US_ASCII), 0, out, size - end.length(), end.length());
        return out;
    }

    static byte[] bytes(int size) {
        byte[] out = new byte[size];
        Arrays.fill(out, (byte) 'a');
        return out;
    }

    @Test
    void a_chunked_json_body_is_held_to_the_same_limit_as_one_with_a_length() throws Exception {
        int port = RestAssured.port;
        // with a length: refused before it is read
        Referrals.create(sender.caseworkerToken(), new String(jsonOfSize(65_537), StandardCharsets.US_ASCII))
                .statusCode(413)
                .contentType("application/problem+json")
                .body("limit", org.hamcrest.Matchers.equalTo("body-size"))
                .body("max", org.hamcrest.Matchers.equalTo(65_536));
        // without one: exactly the limit is read and handed on (the JSON is then judged: an unknown field) ...
        RawHttp.Answer within =
                RawHttp.chunked(port, "POST", "/api/v1/referrals", as(sender, "application/json"), jsonOfSize(65_536));
        assertThat(within.status()).as(within.body()).isEqualTo(400);
        assertThat(JsonPath.from(within.body()).getString("type")).isEqualTo("urn:problem-type:tandem:unknown-field");
        // ... and one byte more is refused, naming the limit
        problem(
                RawHttp.chunked(port, "POST", "/api/v1/referrals", as(sender, "application/json"), jsonOfSize(65_537)),
                413,
                "body-size",
                65_536);
        // far more (a body that would never end) is refused all the same, without reading it all
        problem(
                RawHttp.chunked(
                        port, "POST", "/api/v1/referrals", as(sender, "application/json"), jsonOfSize(2_000_000)),
                413,
                "body-size",
                65_536);
    }

    @Test
    void chunked_case_files_and_receipts_are_held_to_their_own_limits() throws Exception {
        int port = RestAssured.port;
        UUID id = CaseFileApiTest.submitted();
        String path = "/api/v1/referrals/" + id + "/case-file";
        // application/jose: tandem.case-files.max-bytes, with a length and without
        given().auth()
                .oauth2(sender.caseworkerToken())
                .contentType(JOSE)
                .body(new String(bytes(CASE_FILE_BYTES + 1), StandardCharsets.US_ASCII))
                .when()
                .post(path)
                .then()
                .statusCode(413)
                .body("limit", org.hamcrest.Matchers.equalTo("body-size"))
                .body("max", org.hamcrest.Matchers.equalTo(CASE_FILE_BYTES));
        problem(
                RawHttp.chunked(port, "POST", path, as(sender, JOSE), bytes(CASE_FILE_BYTES + 1)),
                413,
                "body-size",
                CASE_FILE_BYTES);
        problem(
                RawHttp.chunked(port, "POST", path, as(sender, JOSE), bytes(3_000_000)),
                413,
                "body-size",
                CASE_FILE_BYTES);
        // within the limit, the body reaches the hub's checks (not a JWE)
        RawHttp.Answer within = RawHttp.chunked(port, "POST", path, as(sender, JOSE), bytes(CASE_FILE_BYTES));
        assertThat(within.status()).as(within.body()).isEqualTo(400);
        assertThat(JsonPath.from(within.body()).getString("errors[0].field")).isEqualTo("jwe");
        // the JSON upload: the same limit plus its envelope; a JWE over the limit inside it is refused by the hub
        problem(
                RawHttp.chunked(port, "POST", path, as(sender, "application/json"), jsonOfSize(CASE_FILE_BYTES + 65)),
                413,
                "body-size",
                CASE_FILE_BYTES + 64);
        String jweTooLong = "{\"jwe\":\"" + "a".repeat(CASE_FILE_BYTES + 1) + "\"}";
        problem(
                RawHttp.chunked(
                        port,
                        "POST",
                        path,
                        as(sender, "application/json"),
                        jweTooLong.getBytes(StandardCharsets.US_ASCII)),
                413,
                "case-file-size",
                CASE_FILE_BYTES);
        // the deletion receipt: 8 KiB
        problem(
                RawHttp.chunked(port, "POST", path + "/deletion-receipt", as(sender, JOSE), bytes(8193)),
                413,
                "body-size",
                8192);
        // none of it stored a file
        CaseFileApiTest.status(sender, id).statusCode(404);
    }

    @Test
    void the_address_length_and_the_page_size_name_their_limits() {
        String longQuery = "x=" + "a".repeat(8200);
        var uri = given().auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .get("/api/v1/referrals?" + longQuery)
                .then()
                .statusCode(414)
                .contentType("application/problem+json")
                .extract()
                .jsonPath();
        assertThat(uri.getString("limit")).isEqualTo("uri-length");
        assertThat(uri.getInt("max")).isEqualTo(8192);
        assertThat(uri.getString("detail")).contains("uri-length").contains("8192");

        var page = given().auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .get("/api/v1/referrals?box=sent&limit=201")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .extract()
                .jsonPath();
        assertThat(page.getString("limit")).isEqualTo("page-size");
        assertThat(page.getInt("max")).isEqualTo(200);
        assertThat(page.getString("detail")).contains("page-size").contains("200");
        assertThat(page.getString("errors[0].field")).isEqualTo("limit");
        given().auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .get("/api/v1/referrals?box=sent&limit=200")
                .then()
                .statusCode(200);
    }

    @Test
    void the_rate_limit_names_itself_and_its_burst() throws Exception {
        TestOrganisation busy = KeycloakRealm.get().createOrganisation("FR");
        String token = busy.caseworkerToken();
        List<io.restassured.response.Response> answers = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(16)) {
            List<Future<io.restassured.response.Response>> running = new ArrayList<>();
            for (int i = 0; i < BURST * 3; i++) {
                running.add(pool.submit(() -> given().auth()
                        .oauth2(token)
                        .when()
                        .get("/api/v1/referrals?box=sent")
                        .andReturn()));
            }
            for (var f : running) {
                answers.add(f.get());
            }
        }
        var limited = answers.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(limited).as("answers over the burst").isNotEmpty();
        JsonPath p = limited.get(0)
                .then()
                .contentType("application/problem+json")
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .extract()
                .jsonPath();
        assertThat(p.getString("limit")).isEqualTo("rate");
        assertThat(p.getInt("max")).isEqualTo(BURST);
        assertThat(p.getString("detail")).contains("rate").contains(Integer.toString(BURST));
    }
}
