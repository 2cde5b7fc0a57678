package org.tandem.platform.retention;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What differs between the services' retention (docs/retention.md): the job that enforces the periods of the
 * records a service keeps, and the rows of its report. Each service has exactly one such bean; platform runs its
 * job once per period across instances ({@link RetentionSchedule}) and answers its report
 * ({@link RetentionResource}). The SQL of both lives in the service's {@code persistence} repositories.
 */
public interface ServiceRetention {

    /** The service's name in the report, e.g. {@code referral-service}. */
    String service();

    /** The job's name: its row in {@code retention_job}, which the {@link RetentionLease} takes. */
    String job();

    /**
     * Enforces every period at {@code now}, in bounded batches ({@link RetentionBatches}); returns how many records
     * of each kind it deleted or anonymised.
     */
    Map<RetentionKind, Integer> run(Instant now);

    /**
     * The report's rows at {@code now}, in the order the service reports them, for the records of {@code org}, or of
     * the whole network when {@code org} is null. Runs in the caller's transaction.
     */
    List<RetentionReport.Row> report(Instant now, UUID org);
}
