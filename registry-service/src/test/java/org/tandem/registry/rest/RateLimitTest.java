package org.tandem.registry.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** Each organisation has its own budget of requests; one that exceeds it does not slow another down. */
@QuarkusTest
@TestProfile(RateLimitTest.SmallBudget.class)
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "registry"))
class RateLimitTest {

    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tandem.rate-limit.burst", "3", "tandem.rate-limit.per-second", "1");
        }
    }

    @Test
    void an_organisation_over_its_budget_gets_429_with_retry_after_and_others_are_unaffected() throws Exception {
        KeycloakRealm realm = KeycloakRealm.get();
        TestOrganisation busy = realm.createOrganisation("DE");
        TestOrganisation quiet = realm.createOrganisation("CY");
        String token = busy.caseworkerToken();
        String quietToken = quiet.caseworkerToken();
        // 12 requests at once: latency on a loaded machine cannot let the bucket refill between them
        List<io.restassured.response.Response> responses;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<io.restassured.response.Response>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                futures.add(pool.submit(() -> given().auth()
                        .oauth2(token)
                        .when()
                        .get("/api/v1/organisations")
                        .andReturn()));
            }
            responses = new ArrayList<>();
            for (var f : futures) {
                responses.add(f.get());
            }
        }
        List<io.restassured.response.Response> limited =
                responses.stream().filter(r -> r.statusCode() == 429).toList();
        org.assertj.core.api.Assertions.assertThat(limited).hasSizeGreaterThanOrEqualTo(3);
        limited.get(0)
                .then()
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem-type:tandem:rate-limited"))
                .header("Retry-After", notNullValue());
        given().auth()
                .oauth2(quietToken)
                .when()
                .get("/api/v1/organisations")
                .then()
                .statusCode(200);
    }
}
