package org.tandem.registry.rest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import org.tandem.testing.BusyWorkers;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * An instance holds at most {@code tandem.http.max-in-flight} API requests; the next is answered at once with 503
 * service-busy and Retry-After, and once the held ones are answered, requests are taken again. The worker threads
 * are taken by the test, so the admitted requests wait in their queue, as under overload.
 */
@QuarkusTest
@TestProfile(AdmissionLimitTest.FourAtOnce.class)
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "registry"))
class AdmissionLimitTest {

    static final int LIMIT = 4;

    public static class FourAtOnce implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tandem.http.max-in-flight", Integer.toString(LIMIT));
        }
    }

    @ConfigProperty(name = "quarkus.thread-pool.max-threads")
    int workerThreads;

    @Inject
    MeterRegistry meters;

    /** The gauge of held requests, read from the registry behind /q/metrics (no exposition format to parse). */
    double inFlight() {
        return meters.get("tandem.http.in.flight").gauge().value();
    }

    @Test
    void past_the_limit_a_request_gets_503_at_once_and_the_held_ones_are_still_answered() throws Exception {
        String token = KeycloakRealm.get().createOrganisation("DE").caseworkerToken();
        given().auth().oauth2(token).when().get("/api/v1/organisations").then().statusCode(200);
        assertThat(inFlight()).isZero();

        List<Future<Response>> held = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            try (BusyWorkers busy = BusyWorkers.occupy(Infrastructure.getDefaultWorkerPool(), workerThreads, 0)) {
                for (int i = 0; i < LIMIT; i++) {
                    held.add(clients.submit(() -> given().auth()
                            .oauth2(token)
                            .when()
                            .get("/api/v1/organisations")
                            .andReturn()));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == LIMIT);

                long start = System.nanoTime();
                given().auth()
                        .oauth2(token)
                        .when()
                        .get("/api/v1/organisations")
                        .then()
                        .statusCode(503)
                        .contentType("application/problem+json")
                        .header("Retry-After", "1")
                        .body("type", equalTo("urn:problem-type:tandem:service-busy"))
                        .body("limit", equalTo("in-flight"))
                        .body("max", equalTo(LIMIT));
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                        .isLessThan(2000);
                // health is never refused
                given().when().get("/q/health/live").then().statusCode(200);
                assertThat(held).noneMatch(Future::isDone);
            }
            for (Future<Response> f : held) {
                assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> inFlight() == 0);
        given().auth().oauth2(token).when().get("/api/v1/organisations").then().statusCode(200);
    }
}
