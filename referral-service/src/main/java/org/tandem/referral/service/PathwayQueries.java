package org.tandem.referral.service;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.tandem.platform.audit.AuditLog;
import org.tandem.referral.application.PathwayTimeline;
import org.tandem.referral.domain.Pathway;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.ReferralException;
import org.tandem.referral.mapping.ReferralMapper;
import org.tandem.referral.persistence.ReferralEntity;

/**
 * A pathway's timeline for an organisation on it (docs/referrals.md, "Pathways and stages"). Who may see what is
 * the domain's {@link Pathway}; an organisation that may not gets the same 404 as for an unknown pathway, audited as a
 * denial for the organisations of the pathway.
 */
@ApplicationScoped
public class PathwayQueries {

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Transactional
    public PathwayTimeline timeline(UUID caller, UUID pathwayId) {
        List<ReferralEntity> rows = ReferralEntity.ofPathway(pathwayId);
        Pathway pathway = new Pathway(
                pathwayId, rows.stream().map(ReferralMapper::toDomain).toList());
        UUID[] concerned = rows.stream()
                .flatMap(e -> java.util.stream.Stream.of(e.senderOrg, e.receiverOrg))
                .distinct()
                .toArray(UUID[]::new);
        try {
            List<Referral> seen = pathway.seenBy(caller, clock.instant());
            audit.allowed("pathway.read", "pathway", pathwayId, concerned);
            return new PathwayTimeline(pathwayId, seen);
        } catch (ReferralException.NotFound e) {
            audit.denied("pathway.read", "pathway", pathwayId, concerned);
            throw e;
        }
    }
}
