package org.tandem.registry.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.tandem.platform.audit.AuditLog;
import org.tandem.platform.problem.ProblemException;
import org.tandem.registry.persistence.ConfidentialAddressEntity;
import org.tandem.registry.rest.AddressView;

/**
 * The confidential address of an organisation: readable by the organisation itself, and by an organisation
 * only after this one accepted a referral from it. referral-service tells the registry of each acceptance
 * (ReferralAccepted), which records a disclosure. Anyone else gets the same 404 as for a missing address.
 */
@ApplicationScoped
public class ConfidentialAddresses {

    @Inject
    EntityManager em;

    @Inject
    AuditLog audit;

    @Transactional
    public AddressView read(UUID callerOrganisation, UUID organisationId) {
        boolean own = callerOrganisation.equals(organisationId);
        if (!own && !disclosed(organisationId, callerOrganisation)) {
            audit.denied("organisation.confidential-address.read", "organisation", organisationId, organisationId, callerOrganisation);
            throw ProblemException.notFound("confidential address");
        }
        ConfidentialAddressEntity a = ConfidentialAddressEntity.findById(organisationId);
        if (a == null) {
            throw ProblemException.notFound("confidential address");
        }
        audit.allowed("organisation.confidential-address.read", "organisation", organisationId, organisationId, callerOrganisation);
        return new AddressView(a.street, a.postalCode, a.locality, a.country);
    }

    /** Records that {@code grantee} may read {@code organisationId}'s address because of an accepted referral. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void disclose(UUID organisationId, UUID grantee, UUID referralId, Instant at) {
        em.createNativeQuery("""
                insert into address_disclosure (organisation_id, grantee_organisation_id, referral_id, granted_at)
                values (:org, :grantee, :referral, :at) on conflict do nothing""")
                .setParameter("org", organisationId)
                .setParameter("grantee", grantee)
                .setParameter("referral", referralId)
                .setParameter("at", java.sql.Timestamp.from(at))
                .executeUpdate();
    }

    private boolean disclosed(UUID organisationId, UUID grantee) {
        return !em.createNativeQuery("""
                select 1 from address_disclosure where organisation_id = :org and grantee_organisation_id = :grantee limit 1""")
                .setParameter("org", organisationId)
                .setParameter("grantee", grantee)
                .getResultList().isEmpty();
    }
}
