package org.tandem.registry.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

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
    void an_organisation_over_its_budget_gets_429_with_retry_after_and_others_are_unaffected() {
        KeycloakRealm realm = KeycloakRealm.get();
        TestOrganisation busy = realm.createOrganisation("DE");
        TestOrganisation quiet = realm.createOrganisation("CY");
        String token = busy.caseworkerToken();
        String quietToken = quiet.caseworkerToken();
        int limited = 0;
        for (int i = 0; i < 20; i++) { // enough that refills during slow requests on a loaded machine cannot absorb them
            int status = given().auth().oauth2(token).when().get("/api/v1/organisations").then().extract().statusCode();
            if (status == 429) {
                limited++;
            }
        }
        org.assertj.core.api.Assertions.assertThat(limited).isGreaterThanOrEqualTo(3);
        given().auth().oauth2(token).when().get("/api/v1/organisations")
                .then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo("urn:problem-type:tandem:rate-limited")).header("Retry-After", notNullValue());
        given().auth().oauth2(quietToken).when().get("/api/v1/organisations").then().statusCode(200);
    }
}
