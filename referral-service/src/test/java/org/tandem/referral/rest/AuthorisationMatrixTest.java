package org.tandem.referral.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.referral.support.Network;
import org.tandem.referral.support.Referrals;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.referral.support.Referrals.draft;
import static org.tandem.referral.support.Referrals.post;
import static org.tandem.referral.support.Referrals.referral;
import static org.tandem.referral.support.Referrals.validConsent;

/**
 * Every endpoint of referral-service, tried by every role: the sending and the receiving organisation's
 * caseworkers, a third organisation's caseworker and integration client, an org-admin, a coordinator, a
 * token without an organisation, and no token. Each id-based row gets a referral in the state where the
 * rightful party's call is legal; the outsiders go first and must change nothing, then that party, then
 * the other one (whose wrong-party calls are refused before the state is looked at). A third
 * organisation's answer for a foreign id must equal its answer for an id that does not exist.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class AuthorisationMatrixTest {

    enum Role {
        SENDER,
        RECEIVER,
        THIRD,
        THIRD_INTEGRATION,
        SENDER_ADMIN,
        COORDINATOR,
        NO_ORGANISATION,
        ANONYMOUS
    }

    enum State {
        NONE,
        DRAFT,
        SUBMITTED,
        ACKNOWLEDGED,
        ACCEPTED,
        IN_PROGRESS,
        DECLINED
    }

    /** One endpoint, the state its referral is put in, and the expected status per role (in {@link Role} order). */
    record Row(String method, String path, String body, State state, int... expected) {
        int expected(Role role) {
            return expected[role.ordinal()];
        }
    }

    static Network network;
    static KeycloakRealm realm;
    static TestOrganisation sender;
    static TestOrganisation receiver;
    static TestOrganisation third;

    @BeforeAll
    static void organisations() {
        network = Network.of("PL", "CZ", "HU");
        realm = network.realm;
        sender = network.get(0);
        receiver = network.get(1);
        third = network.get(2);
    }

    @AfterAll
    static void close() {
        if (network != null) {
            network.close();
        }
    }

    static final Map<Role, String> TOKENS = new java.util.EnumMap<>(Role.class);

    /** Fetched once per role: the tokens outlive this test. */
    static String token(Role role) {
        if (role == Role.ANONYMOUS) {
            return null;
        }
        return TOKENS.computeIfAbsent(role, AuthorisationMatrixTest::freshToken);
    }

    static String freshToken(Role role) {
        return switch (role) {
            case SENDER -> sender.caseworkerToken();
            case RECEIVER -> receiver.caseworkerToken();
            case THIRD -> third.caseworkerToken();
            case THIRD_INTEGRATION -> third.integrationToken();
            case SENDER_ADMIN -> sender.adminToken();
            case COORDINATOR -> realm.coordinatorToken();
            case NO_ORGANISATION -> realm.tokenWithoutOrganisation("caseworker");
            case ANONYMOUS -> null;
        };
    }

    static String referralIn(State state) {
        if (state == State.NONE) {
            return UUID.randomUUID().toString();
        }
        String id = draft(sender, receiver, "URGENT");
        if (state == State.DRAFT) {
            return id;
        }
        post(sender.caseworkerToken(), "submission", id).statusCode(200);
        if (state == State.SUBMITTED) {
            return id;
        }
        post(receiver.caseworkerToken(), "acknowledgement", id).statusCode(200);
        switch (state) {
            case ACCEPTED -> post(receiver.caseworkerToken(), "acceptance", id).statusCode(200);
            case IN_PROGRESS -> {
                post(receiver.caseworkerToken(), "acceptance", id).statusCode(200);
                post(receiver.caseworkerToken(), "start", id).statusCode(200);
            }
            case DECLINED ->
                post(receiver.caseworkerToken(), "decline", id, "{\"reason\":\"NO_CAPACITY\"}")
                        .statusCode(200);
            default -> {}
        }
        return id;
    }

    static int call(Role role, Row row, String id, StringBuilder bodyOut) {
        RequestSpecification req = given();
        String t = token(role);
        if (t != null) {
            req = req.auth().oauth2(t);
        }
        if (row.body() != null) {
            req = req.contentType(ContentType.JSON).body(row.body());
        }
        var response = req.when()
                .request(row.method(), row.path().replace("{id}", id))
                .then()
                .extract();
        if (bodyOut != null) {
            bodyOut.append(response.asString());
        }
        return response.statusCode();
    }

    static String version(String id) {
        return Referrals.read(sender.caseworkerToken(), id)
                .statusCode(200)
                .extract()
                .header("ETag");
    }

    @Test
    void every_endpoint_answers_every_role_as_specified_and_leaks_nothing() {
        // the organisations reach referral-service's read model through Kafka: wait until both senders can refer
        // (here, not in @BeforeAll: REST Assured learns the test port only before each test)
        draft(sender, receiver, "ROUTINE");
        draft(third, receiver, "ROUTINE");
        String completion = "{\"outcome\":\"SERVICES_PROVIDED\"}";
        String decline = "{\"reason\":\"NO_CAPACITY\"}";
        String redirect = "{\"receiverOrganisationId\":\"" + third.id() + "\"}";
        String consent = validConsent(receiver.id());
        String create = referral(receiver.id(), "ROUTINE", null);
        //                                                                          SENDER RECV THIRD T_INT ADMIN COORD
        // NOORG ANON
        List<Row> rows = List.of(
                new Row("POST", "/api/v1/referrals", create, State.NONE, 201, 400, 201, 201, 403, 403, 403, 401),
                new Row("GET", "/api/v1/referrals?box=sent", null, State.NONE, 200, 200, 200, 200, 403, 403, 403, 401),
                new Row("GET", "/api/v1/referrals/{id}", null, State.SUBMITTED, 200, 200, 404, 404, 403, 403, 403, 401),
                new Row("GET", "/api/v1/referrals/{id}", null, State.DRAFT, 200, 404, 404, 404, 403, 403, 403, 401),
                new Row(
                        "GET",
                        "/api/v1/referrals/{id}/timeline",
                        null,
                        State.SUBMITTED,
                        200,
                        200,
                        404,
                        404,
                        403,
                        403,
                        403,
                        401),
                new Row(
                        "GET",
                        "/api/v1/referrals/{id}/fhir",
                        null,
                        State.SUBMITTED,
                        200,
                        200,
                        404,
                        404,
                        403,
                        403,
                        403,
                        401),
                new Row(
                        "GET",
                        "/api/v1/referrals/{id}/consent-form",
                        null,
                        State.SUBMITTED,
                        200,
                        403,
                        404,
                        404,
                        403,
                        403,
                        403,
                        401),
                new Row(
                        "PUT",
                        "/api/v1/referrals/{id}/consent",
                        consent,
                        State.DRAFT,
                        200,
                        404,
                        404,
                        404,
                        403,
                        403,
                        403,
                        401),
                new Row(
                        "POST",
                        "/api/v1/referrals/{id}/submission",
                        null,
                        State.DRAFT,
                        200,
                        403,
                        404,
                        404,
                        403,
                        403,
                        403,
                        401),
                new Row(
                        "POST",
                        "/api/v1/referrals/{id}/acknowledgement",
                        null,
                        State.SUBMITTED,
                        403,
                        200,
                        404,
                        404,
                        403,
                        403,
                        403,
                        401),
                new Row(
                        "POST",
                        "/api/v1/referrals/{id}/acceptance",
                        null,
                        State.ACKNOWLEDGED,
                        403,
                        200,
                        404,
                        404,
                        403,
                        403,
                        403,
                        401),
                new Row(
                        "POST",
                        "/api/v1/referrals/{id}/decline",
                        decline,
                        State.ACKNOWLEDGED,
                        403,
                        200,
                        404,
                        404,
                        403,
                        403,
                        403,
                        401),
                new Row(
                        "POST",
                        "/api/v1/referrals/{id}/cancellation",
                        null,
                        State.SUBMITTED,
                        200,
                        403,
                        404,
                        404,
                        403,
                        403,
                        403,
                        401),
                new Row(
                        "POST",
                        "/api/v1/referrals/{id}/start",
                        null,
                        State.ACCEPTED,
                        403,
                        200,
                        404,
                        404,
                        403,
                        403,
                        403,
                        401),
                new Row(
                        "POST",
                        "/api/v1/referrals/{id}/completion",
                        completion,
                        State.IN_PROGRESS,
                        403,
                        200,
                        404,
                        404,
                        403,
                        403,
                        403,
                        401),
                new Row(
                        "POST",
                        "/api/v1/referrals/{id}/withdrawal",
                        null,
                        State.ACCEPTED,
                        200,
                        409,
                        404,
                        404,
                        403,
                        403,
                        403,
                        401),
                new Row(
                        "POST",
                        "/api/v1/referrals/{id}/redirection",
                        redirect,
                        State.DECLINED,
                        201,
                        403,
                        404,
                        404,
                        403,
                        403,
                        403,
                        401),
                new Row("GET", "/api/v1/consent-forms", null, State.NONE, 200, 200, 200, 200, 200, 200, 200, 401),
                new Row(
                        "GET",
                        "/api/v1/consent-forms/2026-1/eng/printable",
                        null,
                        State.NONE,
                        200,
                        200,
                        200,
                        200,
                        200,
                        200,
                        200,
                        401),
                new Row(
                        "GET",
                        "/api/v1/coordination/statistics",
                        null,
                        State.NONE,
                        403,
                        403,
                        403,
                        403,
                        403,
                        200,
                        403,
                        401),
                new Row(
                        "GET",
                        "/api/v1/coordination/escalations",
                        null,
                        State.NONE,
                        403,
                        403,
                        403,
                        403,
                        403,
                        200,
                        403,
                        401),
                new Row("GET", "/api/v1/audit", null, State.NONE, 403, 403, 403, 403, 200, 403, 403, 401),
                new Row("GET", "/api/v1/audit/verification", null, State.NONE, 403, 403, 403, 403, 200, 200, 403, 401));

        Map<String, Integer> mismatches = new LinkedHashMap<>();
        List<String> leaks = new ArrayList<>();
        for (Row row : rows) {
            String id = referralIn(row.state());
            boolean idBased = row.path().contains("{id}");
            String before = idBased ? version(id) : null;
            // outsiders first, who must change nothing; then the party that may act; then the other party
            List<Role> order = new ArrayList<>(List.of(
                    Role.ANONYMOUS,
                    Role.NO_ORGANISATION,
                    Role.COORDINATOR,
                    Role.SENDER_ADMIN,
                    Role.THIRD_INTEGRATION,
                    Role.THIRD));
            boolean senderActs = row.expected(Role.SENDER) / 100 == 2;
            order.addAll(senderActs ? List.of(Role.SENDER, Role.RECEIVER) : List.of(Role.RECEIVER, Role.SENDER));
            for (Role role : order) {
                if (idBased && role == order.get(order.size() - 2)) {
                    assertThat(version(id))
                            .as("no outsider changed %s %s", row.method(), row.path())
                            .isEqualTo(before);
                }
                StringBuilder body = new StringBuilder();
                int status = call(role, row, id, body);
                if (status != row.expected(role)) {
                    mismatches.put(
                            row.method() + " " + row.path() + " [" + row.state() + "] as " + role + " (expected "
                                    + row.expected(role) + ")",
                            status);
                }
                if (idBased && (role == Role.THIRD || role == Role.THIRD_INTEGRATION)) {
                    StringBuilder missing = new StringBuilder();
                    int missingStatus = call(role, row, UUID.randomUUID().toString(), missing);
                    if (missingStatus != status || !missing.toString().equals(body.toString())) {
                        leaks.add(row.method() + " " + row.path() + " as " + role + ": foreign " + status
                                + " vs missing " + missingStatus);
                    }
                }
                if (status / 100 != 2 && status != 401 && !body.isEmpty()) {
                    assertThat(body.toString()).as("a problem document").contains("\"status\":" + status);
                }
            }
        }
        assertThat(mismatches).as("status per endpoint and role").isEmpty();
        assertThat(leaks).as("foreign ids answer exactly like missing ones").isEmpty();
    }
}
