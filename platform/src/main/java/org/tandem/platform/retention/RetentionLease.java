package org.tandem.platform.retention;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Lets a job run once per period however many instances of a service run it: one row per job in
 * {@code retention_job}, taken by a single conditional upsert, which PostgreSQL applies atomically. The
 * instance whose statement changed the row runs the job; the others see that it ran within the period.
 */
@ApplicationScoped
public class RetentionLease {

    @Inject
    EntityManager em;

    /** Takes {@code job} for this period if its last run started at least {@code every} before {@code now}. */
    public boolean tryTake(String job, Period every, Instant now) {
        Instant due = now.atZone(ZoneOffset.UTC).minus(every).toInstant();
        return QuarkusTransaction.requiringNew()
                .call(() -> em.createNativeQuery("""
                insert into retention_job (job, last_run_at) values (:job, :now)
                on conflict (job) do update set last_run_at = excluded.last_run_at
                where retention_job.last_run_at <= :due""")
                                .setParameter("job", job)
                                .setParameter("now", now)
                                .setParameter("due", due)
                                .executeUpdate()
                        == 1);
    }
}
