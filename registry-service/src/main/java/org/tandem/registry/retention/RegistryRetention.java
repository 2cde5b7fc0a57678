package org.tandem.registry.retention;

import java.time.Clock;
import java.time.Instant;
import java.time.Period;

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
 * registry-service's retention job (docs/retention.md). The registry holds organisations, not survivors; what
 * it keeps about referrals is its read model of accepted referrals, the address disclosures (which
 * organisation may read which confidential address, because of which referral). Once a day (once across
 * instances, by a {@link RetentionLease}) it deletes the disclosures older than the read models' period, in
 * batches, each in its own transaction.
 */
@ApplicationScoped
public class RegistryRetention {

    private static final Logger LOG = Logger.getLogger(RegistryRetention.class);
    static final String JOB = "registry-retention";

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
            LOG.infof("retention run at %s: %d address disclosures deleted", now, run(now));
        }
    }

    /** Deletes the address disclosures past the read models' period at {@code now}; returns how many. */
    public int run(Instant now) {
        Instant cutoff = policy.cutoff(RetentionKind.READ_MODELS, now);
        int total = 0;
        while (true) {
            int n = QuarkusTransaction.requiringNew()
                    .call(() -> em.createNativeQuery("""
                    delete from address_disclosure where (organisation_id, grantee_organisation_id, referral_id) in (
                        select organisation_id, grantee_organisation_id, referral_id from address_disclosure
                        where granted_at < :cutoff limit :n for update skip locked)""")
                            .setParameter("cutoff", cutoff)
                            .setParameter("n", batchSize)
                            .executeUpdate());
            total += n;
            if (n < batchSize) {
                return total;
            }
        }
    }
}
