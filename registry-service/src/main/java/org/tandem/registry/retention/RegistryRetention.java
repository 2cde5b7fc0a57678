package org.tandem.registry.retention;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.tandem.platform.retention.RetentionBatches;
import org.tandem.platform.retention.RetentionKind;
import org.tandem.platform.retention.RetentionPolicy;
import org.tandem.platform.retention.RetentionReport;
import org.tandem.platform.retention.ServiceRetention;
import org.tandem.registry.persistence.RegistryRetentionRepository;

/**
 * registry-service's retention (docs/retention.md). The registry holds organisations, not survivors; what it
 * keeps about referrals is its read model of accepted referrals, the address disclosures (which organisation may
 * read which confidential address, because of which referral). The job (run once a day across instances by
 * platform's {@code RetentionSchedule}) deletes the disclosures older than the read models' period, in batches,
 * each in its own transaction. The report (platform's {@code RetentionResource}) counts them and the audit log.
 */
@ApplicationScoped
public class RegistryRetention implements ServiceRetention {

    static final String JOB = "registry-retention";

    @Inject
    RetentionPolicy policy;

    @Inject
    RetentionBatches batches;

    @Inject
    RegistryRetentionRepository repository;

    @Override
    public String service() {
        return "registry-service";
    }

    @Override
    public String job() {
        return JOB;
    }

    /** Deletes the address disclosures past the read models' period at {@code now}; returns how many. */
    @Override
    public Map<RetentionKind, Integer> run(Instant now) {
        Instant cutoff = policy.cutoff(RetentionKind.READ_MODELS, now);
        return Map.of(
                RetentionKind.READ_MODELS,
                batches.inBatches(
                        limit -> RetentionBatches.Done.of(repository.deleteDisclosuresGrantedBefore(cutoff, limit))));
    }

    @Override
    public List<RetentionReport.Row> report(Instant now, UUID org) {
        return repository.report(policy, now, org);
    }
}
