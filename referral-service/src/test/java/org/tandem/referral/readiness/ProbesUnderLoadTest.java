package org.tandem.referral.readiness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import org.tandem.testing.BusyWorkers;
import org.tandem.testing.TandemInfraResource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Probes under load (docs/operations.md): with every worker thread busy and more work queued behind them, as under
 * overload, the liveness and readiness probes still answer 200 within the kubelet's default timeout of one second,
 * and so does the metrics scrape. Quarkus's own database and messaging checks and its scrape route ran on a worker
 * thread, so each waited in the queue.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class ProbesUnderLoadTest {

    static final List<String> LIVE_CHECKS = List.of("SmallRye Reactive Messaging - liveness check");
    static final List<String> READY_CHECKS =
            List.of("SmallRye Reactive Messaging - readiness check", "Database connections health check", "warm-up");

    @ConfigProperty(name = "quarkus.thread-pool.max-threads")
    int workerThreads;

    @TestHTTPResource("/q/health/")
    URI health;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Test
    void live_and_ready_answer_within_a_second_while_every_worker_thread_is_taken() throws Exception {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> given().when().get("/q/health/ready").statusCode() == 200);

        try (BusyWorkers busy =
                BusyWorkers.occupy(Infrastructure.getDefaultWorkerPool(), workerThreads, workerThreads)) {
            HttpClient http = HttpClient.newHttpClient();
            for (int round = 0; round < 3; round++) {
                for (String kind : new String[] {"live", "ready"}) {
                    HttpRequest probe = HttpRequest.newBuilder(health.resolve(kind))
                            .timeout(Duration.ofSeconds(1))
                            .build();
                    long start = System.nanoTime();
                    HttpResponse<String> answer = http.send(probe, HttpResponse.BodyHandlers.ofString());
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertThat(answer.statusCode())
                            .as(kind + ": " + answer.body())
                            .isEqualTo(200);
                    assertThat(millis).as(kind).isLessThan(1000);
                    // answered by the checks that replace Quarkus's, not by their absence
                    assertThat(JsonPath.from(answer.body()).getList("checks.name", String.class))
                            .as(kind)
                            .containsAll(kind.equals("live") ? LIVE_CHECKS : READY_CHECKS);
                }
            }
            // the pool was full throughout: the work queued behind the busy threads had not begun
            assertThat(busy.running()).isEqualTo(workerThreads);
        }
    }

    @Test
    void the_metrics_scrape_answers_within_a_second_while_every_worker_thread_is_taken() throws Exception {
        try (BusyWorkers busy =
                BusyWorkers.occupy(Infrastructure.getDefaultWorkerPool(), workerThreads, workerThreads)) {
            HttpClient http = HttpClient.newHttpClient();
            // Prometheus asks for the text format; a bare request gets OpenMetrics: Quarkus's negotiation, kept
            for (String accept : new String[] {"text/plain;version=0.0.4;q=0.3,*/*;q=0.2", "*/*"}) {
                HttpRequest scrape = HttpRequest.newBuilder(metrics)
                        .header("Accept", accept)
                        .timeout(Duration.ofSeconds(1))
                        .build();
                HttpResponse<String> answer = http.send(scrape, HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(accept).isEqualTo(200);
                assertThat(answer.headers().firstValue("Content-Type"))
                        .as(accept)
                        .hasValueSatisfying(type -> assertThat(type)
                                .startsWith(accept.equals("*/*") ? "application/openmetrics-text" : "text/plain"));
                // Tandem's own meters, so the scrape is the one of this service's registry
                assertThat(answer.body()).contains("tandem_outbox_pending", "tandem_http_in_flight");
            }
            assertThat(busy.running()).isEqualTo(workerThreads);
        }
    }
}
