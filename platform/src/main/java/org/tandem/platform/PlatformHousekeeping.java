package org.tandem.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.scheduler.Scheduled;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps the platform tables bounded: published outbox rows, idempotency answers and processed-event ids
 * are kept only as long as a retry or a redelivery can still arrive.
 */
@ApplicationScoped
public class PlatformHousekeeping {

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @ConfigProperty(name = "tandem.retention.idempotency-keys", defaultValue = "P1D")
    Duration idempotencyRetention;

    @ConfigProperty(name = "tandem.retention.published-outbox", defaultValue = "P7D")
    Duration outboxRetention;

    @ConfigProperty(name = "tandem.retention.processed-events", defaultValue = "P30D")
    Duration processedRetention;

    @Scheduled(
            every = "1h",
            delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Transactional
    void purge() {
        Instant now = clock.instant();
        em.createNativeQuery("delete from idempotency_record where created_at < :t")
                .setParameter("t", now.minus(idempotencyRetention))
                .executeUpdate();
        em.createNativeQuery("delete from outbox_event where published_at < :t")
                .setParameter("t", now.minus(outboxRetention))
                .executeUpdate();
        em.createNativeQuery("delete from processed_event where processed_at < :t")
                .setParameter("t", now.minus(processedRetention))
                .executeUpdate();
    }
}
