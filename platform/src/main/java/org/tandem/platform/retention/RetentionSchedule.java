package org.tandem.platform.retention;

import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the service's retention job ({@link ServiceRetention}) once per {@code tandem.retention.run-every}
 * (default {@code P1D}) however many instances run: every {@code tandem.retention.check-every} (default 1 h,
 * {@code off} in the tests, which run the job themselves on a moved clock) each instance asks the
 * {@link RetentionLease}, and the one that takes it runs the job (docs/retention.md).
 */
@ApplicationScoped
public class RetentionSchedule {

    private static final Logger LOG = Logger.getLogger(RetentionSchedule.class);

    @Inject
    Clock clock;

    @Inject
    RetentionLease lease;

    @Inject
    ServiceRetention retention;

    @ConfigProperty(name = "tandem.retention.run-every", defaultValue = "P1D")
    Period runEvery;

    @Scheduled(
            every = "${tandem.retention.check-every:1h}",
            delayed = "${tandem.retention.check-delay:10m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        runIfDue(clock.instant());
    }

    /** Runs the job at {@code now} if this instance takes the period's lease: what it did, or empty when not due. */
    public Optional<Map<RetentionKind, Integer>> runIfDue(Instant now) {
        if (!lease.tryTake(retention.job(), runEvery, now)) {
            return Optional.empty();
        }
        Map<RetentionKind, Integer> done = retention.run(now);
        LOG.infof("%s: retention run at %s: %s", retention.job(), now, done);
        return Optional.of(done);
    }
}
