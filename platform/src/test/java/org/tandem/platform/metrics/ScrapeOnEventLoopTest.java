package org.tandem.platform.metrics;

import java.util.Optional;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the scrape route goes, and that it is not added when there is no scrape to serve. */
class ScrapeOnEventLoopTest {

    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static ScrapeOnEventLoop scrape(boolean micrometer, boolean prometheus, boolean management) {
        ScrapeOnEventLoop s = new ScrapeOnEventLoop();
        s.micrometer = micrometer;
        s.prometheus = prometheus;
        s.managementInterface = management;
        s.metricsPath = "metrics";
        s.nonApplicationRoot = "q";
        s.compressedTypes = Optional.empty();
        return s;
    }

    @Test
    void the_scrape_is_routed_on_the_default_path() {
        Router router = Router.router(vertx);
        scrape(true, true, false).install(router);
        assertThat(router.getRoutes()).extracting(Route::getPath).containsExactly("/q/metrics");
    }

    @Test
    void no_route_without_the_exporter_micrometer_or_on_a_management_interface() {
        for (ScrapeOnEventLoop s : new ScrapeOnEventLoop[] {
            scrape(true, false, false), scrape(false, true, false), scrape(true, true, true)
        }) {
            Router router = Router.router(vertx);
            s.install(router);
            assertThat(router.getRoutes()).isEmpty();
        }
    }

    @Test
    void paths_follow_quarkus_rules() {
        assertThat(ScrapeOnEventLoop.path("q", "metrics")).isEqualTo("/q/metrics");
        assertThat(ScrapeOnEventLoop.path("/internal/", "metrics")).isEqualTo("/internal/metrics");
        assertThat(ScrapeOnEventLoop.path("q", "/prometheus")).isEqualTo("/prometheus");
    }
}
