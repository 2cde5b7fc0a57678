package org.tandem.platform.retention;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * {@code tandem.retention.backlog}, by {@code kind}: how many records the service still holds past their period,
 * from the same counts as the retention report (docs/retention.md). The daily job brings it back to 0; a value that
 * stays above 0 for more than a day means the job does not run or cannot keep up. Read every 10 min (not on each
 * scrape), the same on every instance: alert on the maximum. Kinds the broker enforces (Kafka topics) have no count.
 */
@ApplicationScoped
public class RetentionBacklogMetrics {

    @Inject
    ServiceRetention retention;

    @Inject
    MeterRegistry meters;

    @Inject
    Clock clock;

    private MultiGauge backlog;

    void register(@Observes StartupEvent event) {
        backlog = MultiGauge.builder("tandem.retention.backlog")
                .description("Records held past their retention period, by kind (0 after each daily retention run)")
                .register(meters);
    }

    /** Reads the counts now; the schedule calls it, and so may a test. */
    @Scheduled(
            identity = "retention-backlog",
            every = "10m",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Transactional
    public void refresh() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (RetentionReport.Row row : retention.report(clock.instant(), null)) {
            if (row.pastPeriod() != null) {
                rows.add(MultiGauge.Row.of(Tags.of("kind", row.kind()), row.pastPeriod()));
            }
        }
        backlog.register(rows, true);
    }
}
