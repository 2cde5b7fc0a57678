package org.tandem.notification.retention;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.tandem.notification.persistence.NotificationRetentionRepository;
import org.tandem.platform.retention.RetentionBatches;
import org.tandem.platform.retention.RetentionKind;
import org.tandem.platform.retention.RetentionPolicy;
import org.tandem.platform.retention.RetentionReport;
import org.tandem.platform.retention.ServiceRetention;

/**
 * notification-service's retention (docs/retention.md). Its job (run once a day across instances by platform's
 * {@code RetentionSchedule}) deletes the webhook deliveries that were delivered or dead-lettered before their
 * period, with their attempts, and the alerts (and their e-mail addresses) older than theirs, in batches of
 * {@code tandem.retention.batch-size}, each in its own transaction. A pending delivery is never deleted, however
 * old. Its report (platform's {@code RetentionResource}) counts both and the audit log.
 */
@ApplicationScoped
public class NotificationRetention implements ServiceRetention {

    static final String JOB = "notification-retention";

    @Inject
    RetentionPolicy policy;

    @Inject
    RetentionBatches batches;

    @Inject
    NotificationRetentionRepository repository;

    @Override
    public String service() {
        return "notification-service";
    }

    @Override
    public String job() {
        return JOB;
    }

    /** Enforces every period at {@code now}; returns how many records of each kind it deleted. */
    @Override
    public Map<RetentionKind, Integer> run(Instant now) {
        Map<RetentionKind, Integer> done = new EnumMap<>(RetentionKind.class);
        Instant deliveries = policy.cutoff(RetentionKind.WEBHOOK_DELIVERIES, now);
        done.put(
                RetentionKind.WEBHOOK_DELIVERIES,
                batches.inBatches(limit ->
                        RetentionBatches.Done.of(repository.deleteFinishedDeliveriesBefore(deliveries, limit))));
        Instant alerts = policy.cutoff(RetentionKind.ALERTS, now);
        done.put(
                RetentionKind.ALERTS,
                batches.inBatches(
                        limit -> RetentionBatches.Done.of(repository.deleteAlertsCreatedBefore(alerts, limit))));
        return done;
    }

    @Override
    public List<RetentionReport.Row> report(Instant now, UUID org) {
        return repository.report(policy, now, org);
    }
}
