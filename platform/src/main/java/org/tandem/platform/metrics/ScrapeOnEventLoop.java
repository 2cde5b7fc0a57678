package org.tandem.platform.metrics;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.micrometer.runtime.export.handlers.PrometheusHandler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Serves the Prometheus scrape ({@code /q/metrics}) on the event loop (docs/operations.md, "Probes under load").
 *
 * <p>Why: Quarkus registers its scrape route as a blocking one, so a scrape waits on the worker pool (32 threads,
 * then a queue) behind every request queued there. Under overload, the moment an operator most needs the figures,
 * the scrape then timed out. A scrape only reads counters held in memory: no meter of Tandem's may query anything
 * when it is read (a gauge shows a value that a scheduled job refreshed, as {@link OutboxMetrics} does). This route
 * runs before Quarkus's and hands the request to Quarkus's own handler, so the format, its negotiation by
 * {@code Accept} and the compression are Quarkus's; only the thread differs.
 *
 * <p>With Micrometer or its Prometheus exporter switched off there is no scrape, and this adds no route. With a
 * management interface ({@code quarkus.management.enabled=true}) the scrape is on that interface's port, whose
 * router this does not reach; Quarkus's route serves it there as before.
 */
@ApplicationScoped
public class ScrapeOnEventLoop {

    private static final Logger LOG = Logger.getLogger(ScrapeOnEventLoop.class);

    @ConfigProperty(name = "quarkus.micrometer.export.prometheus.path", defaultValue = "metrics")
    String metricsPath;

    @ConfigProperty(name = "quarkus.http.non-application-root-path", defaultValue = "q")
    String nonApplicationRoot;

    @ConfigProperty(name = "quarkus.micrometer.enabled", defaultValue = "true")
    boolean micrometer;

    @ConfigProperty(name = "quarkus.micrometer.export.prometheus.enabled", defaultValue = "true")
    boolean prometheus;

    @ConfigProperty(name = "quarkus.management.enabled", defaultValue = "false")
    boolean managementInterface;

    @ConfigProperty(name = "quarkus.http.enable-compression", defaultValue = "false")
    boolean compression;

    @ConfigProperty(name = "quarkus.http.compress-media-types")
    Optional<List<String>> compressedTypes;

    void install(@Observes Router router) {
        if (!micrometer || !prometheus) {
            return; // no scrape to serve: /q/metrics stays a 404, as Quarkus leaves it
        }
        if (managementInterface) {
            LOG.info("the metrics scrape is served by the management interface on a worker thread");
            return;
        }
        router.route(HttpMethod.GET, path(nonApplicationRoot, metricsPath))
                // after the error routes and the admission limit, before Quarkus's own blocking route
                .order(Integer.MIN_VALUE + 2)
                .handler(new PrometheusHandler(compression, compressedTypes));
    }

    /** Where Quarkus serves the scrape: a path of its own if absolute, else under the non-application root. */
    static String path(String nonApplicationRoot, String metricsPath) {
        if (metricsPath.startsWith("/")) {
            return metricsPath;
        }
        String root = nonApplicationRoot.startsWith("/") ? nonApplicationRoot : "/" + nonApplicationRoot;
        return (root.endsWith("/") ? root : root + "/") + metricsPath;
    }
}
