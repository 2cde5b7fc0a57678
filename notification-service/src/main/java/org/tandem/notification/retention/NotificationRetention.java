package org.tandem.notification.retention;

import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import org.tandem.platform.retention.RetentionKind;
import org.tandem.platform.retention.RetentionLease;
import org.tandem.platform.retention.RetentionPolicy;

/**
 * notification-service's retention job (docs/retention.md). Once a day (a {@link RetentionLease} makes it once
 * per day across instances) it deletes the webhook deliveries that were delivered or dead-lettered before
 * their period, with their attempts, and the alerts (and their e-mail addresses) older than theirs, in
 * batches of {@code tandem.retention.batch-size}, each in its own transaction. A pending delivery is never
 * deleted, however old.
 */
@ApplicationScoped
public class NotificationRetention {

    private static final Logger LOG = Logger.getLogger(NotificationRetention.class);
    static final String JOB = "notification-retention";

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    RetentionPolicy policy;

    @Inject
    RetentionLease lease;

    @ConfigProperty(name = "tandem.retention.batch-size", defaultValue = "200")
    int batchSize;

    @ConfigProperty(name = "tandem.retention.run-every", defaultValue = "P1D")
    Period runEvery;

    @Scheduled(
            every = "${tandem.retention.check-every:1h}",
            delayed = "${tandem.retention.check-delay:10m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        Instant now = clock.instant();
        if (lease.tryTake(JOB, runEvery, now)) {
            LOG.infof("retention run at %s: %s", now, run(now));
        }
    }

    /** Enforces every period at {@code now}; returns how many records of each kind it deleted. */
    public Map<RetentionKind, Integer> run(Instant now) {
        Map<RetentionKind, Integer> done = new EnumMap<>(RetentionKind.class);
        Instant deliveries = policy.cutoff(RetentionKind.WEBHOOK_DELIVERIES, now);
        int total = 0;
        while (true) {
            int n = QuarkusTransaction.requiringNew().call(() -> {
                @SuppressWarnings("unchecked")
                var ids = (java.util.List<java.util.UUID>) em.createNativeQuery("""
                        select id from webhook_delivery
                        where status in ('DELIVERED', 'DEAD') and coalesce(delivered_at, dead_at) < :cutoff
                        order by id limit :n for update skip locked""")
                        .setParameter("cutoff", deliveries)
                        .setParameter("n", batchSize)
                        .getResultList();
                if (!ids.isEmpty()) {
                    em.createNativeQuery("delete from webhook_attempt where delivery_id in (:ids)")
                            .setParameter("ids", ids)
                            .executeUpdate();
                    em.createNativeQuery("delete from webhook_delivery where id in (:ids)")
                            .setParameter("ids", ids)
                            .executeUpdate();
                }
                return ids.size();
            });
            total += n;
            if (n < batchSize) {
                break;
            }
        }
        done.put(RetentionKind.WEBHOOK_DELIVERIES, total);
        Instant alerts = policy.cutoff(RetentionKind.ALERTS, now);
        total = 0;
        while (true) {
            int n = QuarkusTransaction.requiringNew()
                    .call(() -> em.createNativeQuery("""
                    delete from alert where seq in (
                        select seq from alert where created_at < :cutoff order by seq limit :n for update skip locked)""")
                            .setParameter("cutoff", alerts)
                            .setParameter("n", batchSize)
                            .executeUpdate());
            total += n;
            if (n < batchSize) {
                break;
            }
        }
        done.put(RetentionKind.ALERTS, total);
        return done;
    }
}
