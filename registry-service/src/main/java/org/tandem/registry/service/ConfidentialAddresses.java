package org.tandem.registry.service;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.tandem.platform.audit.AuditLog;
import org.tandem.registry.domain.ConfidentialAddress;
import org.tandem.registry.domain.NotFoundException;
import org.tandem.registry.persistence.AddressDisclosureRepository;
import org.tandem.registry.persistence.ConfidentialAddressEntity;

/**
 * The confidential address of an organisation: readable by the organisation itself, and by an organisation
 * only after this one accepted a referral from it. referral-service tells the registry of each acceptance
 * (ReferralAccepted), which records a disclosure. Anyone else gets the same 404 as for a missing address.
 */
@ApplicationScoped
public class ConfidentialAddresses {

    @Inject
    AddressDisclosureRepository disclosures;

    @Inject
    AuditLog audit;

    @Transactional
    public ConfidentialAddress read(UUID callerOrganisation, UUID organisationId) {
        boolean own = callerOrganisation.equals(organisationId);
        if (!own && !disclosures.disclosed(organisationId, callerOrganisation)) {
            audit.denied(
                    "organisation.confidential-address.read",
                    "organisation",
                    organisationId,
                    organisationId,
                    callerOrganisation);
            throw new NotFoundException("confidential address");
        }
        ConfidentialAddressEntity a = ConfidentialAddressEntity.findById(organisationId);
        if (a == null) {
            throw new NotFoundException("confidential address");
        }
        audit.allowed(
                "organisation.confidential-address.read",
                "organisation",
                organisationId,
                organisationId,
                callerOrganisation);
        return new ConfidentialAddress(a.street, a.postalCode, a.locality, a.country);
    }

    /** Records that {@code grantee} may read {@code organisationId}'s address because of an accepted referral. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void disclose(UUID organisationId, UUID grantee, UUID referralId, Instant at) {
        disclosures.disclose(organisationId, grantee, referralId, at);
    }
}
