package org.tandem.platform.readiness;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.extension.health.HealthChecks;
import io.smallrye.reactive.messaging.health.HealthReport;
import io.smallrye.reactive.messaging.providers.extension.HealthCenter;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/**
 * The Kafka channels' liveness, readiness and start-up checks, answered on the HTTP event loop. SmallRye Reactive
 * Messaging's own checks give the same answer (the same {@link HealthCenter} report, the same names and data) but
 * are synchronous, so Quarkus runs them on a worker thread: under overload they waited in the worker pool's queue
 * behind the requests, and a liveness probe that misses the kubelet's one-second timeout three times restarts a pod
 * that is only busy (docs/operations.md, "Probes under load"). The reports read the connectors' state and metrics
 * and block on nothing (topic verification, which would call the broker, is off). Quarkus's own checks are off
 * ({@code quarkus.messaging.health.enabled=false}, platform {@code microprofile-config.properties}).
 */
public final class MessagingHealth {

    private MessagingHealth() {}

    /** One of the three: the {@link HealthCenter}'s report of its kind, under SmallRye's name for it. */
    abstract static class Check implements AsyncHealthCheck {
        @Inject
        HealthCenter center;

        private final Function<HealthCenter, HealthReport> report;
        private final String name;

        Check(Function<HealthCenter, HealthReport> report, String name) {
            this.report = report;
            this.name = name;
        }

        @Override
        public Uni<HealthCheckResponse> call() {
            return Uni.createFrom()
                    .item(
                            center.isInitialized()
                                    ? HealthChecks.getHealthCheck(report.apply(center), name)
                                    : HealthChecks.NOT_YET_INITIALIZED);
        }
    }

    /** The channels are alive: no channel reported a failure. */
    @Liveness
    @ApplicationScoped
    public static class Alive extends Check {
        Alive() {
            super(HealthCenter::getLiveness, "liveness check");
        }
    }

    /** The channels are ready: each consumer and producer is connected. */
    @Readiness
    @ApplicationScoped
    public static class Ready extends Check {
        Ready() {
            super(HealthCenter::getReadiness, "readiness check");
        }
    }

    /** The channels have started. */
    @Startup
    @ApplicationScoped
    public static class Started extends Check {
        Started() {
            super(HealthCenter::getStartup, "startup check");
        }
    }
}
