package org.tandem.platform.lease;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * A lease in the service's database, so that a scheduled job runs once across all instances: the first
 * instance to ask for a free (or expired) lease holds it for the given time; the others are refused until it
 * expires. The database's clock decides, so instances with skewed clocks agree.
 */
@ApplicationScoped
public class JobLease {

    private final String holder = UUID.randomUUID().toString();

    @Inject
    EntityManager em;

    /** Takes the lease {@code name} for {@code duration} if no other instance holds it; true when taken. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean acquire(String name, Duration duration) {
        List<?> taken = em.createNativeQuery("""
                insert into job_lease (name, holder, until) values (:name, :holder, now() + make_interval(secs => :secs))
                on conflict (name) do update set holder = excluded.holder, until = excluded.until
                    where job_lease.until <= now()
                returning name""")
                .setParameter("name", name)
                .setParameter("holder", holder)
                .setParameter("secs", duration.toMillis() / 1000.0)
                .getResultList();
        return !taken.isEmpty();
    }
}
