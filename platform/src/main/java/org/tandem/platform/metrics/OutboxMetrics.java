package org.tandem.platform.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * How far the outbox is behind: the age of the oldest event not yet on Kafka, and how many wait. Read from the
 * database every 15 s (not on each scrape), so a scrape never waits on PostgreSQL. Every instance of a service
 * reports the same figures (they share the table): alert on the maximum. docs/operations.md lists the metrics.
 */
@ApplicationScoped
public class OutboxMetrics {

    @Inject
    EntityManager em;

    @Inject
    MeterRegistry meters;

    @Inject
    Clock clock;

    private final AtomicLong oldestUnpublishedMillis = new AtomicLong(-1);
    private final AtomicLong unpublished = new AtomicLong();

    void register(@Observes StartupEvent event) {
        Gauge.builder("tandem.outbox.age", this, m -> m.ageSeconds())
                .description("Age of the oldest event that the relay has not yet published (0 when none waits)")
                .baseUnit("seconds")
                .register(meters);
        Gauge.builder("tandem.outbox.pending", unpublished, AtomicLong::get)
                .description("Events written but not yet published")
                .register(meters);
    }

    double ageSeconds() {
        long oldest = oldestUnpublishedMillis.get();
        return oldest < 0
                ? 0
                : Math.max(
                        0,
                        Duration.between(Instant.ofEpochMilli(oldest), clock.instant())
                                        .toMillis()
                                / 1000.0);
    }

    @Scheduled(
            every = "15s",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Transactional
    void refresh() {
        Object[] row = (Object[])
                em.createNativeQuery("select count(*), min(created_at) from outbox_event where published_at is null")
                        .getSingleResult();
        unpublished.set(((Number) row[0]).longValue());
        oldestUnpublishedMillis.set(row[1] == null ? -1 : toInstant(row[1]).toEpochMilli());
    }

    private static Instant toInstant(Object value) {
        return value instanceof Instant i
                ? i
                : value instanceof java.sql.Timestamp t
                        ? t.toInstant()
                        : ((java.time.OffsetDateTime) value).toInstant();
    }
}
