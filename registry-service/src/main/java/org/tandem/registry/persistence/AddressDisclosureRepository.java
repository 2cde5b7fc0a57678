package org.tandem.registry.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Which organisation may read which confidential address, and because of which accepted referral. */
@ApplicationScoped
public class AddressDisclosureRepository {

    @Inject
    EntityManager em;

    /** Records a disclosure; recording it again changes nothing. */
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

    public boolean disclosed(UUID organisationId, UUID grantee) {
        return !em.createNativeQuery("""
                select 1 from address_disclosure where organisation_id = :org and grantee_organisation_id = :grantee limit 1""")
                .setParameter("org", organisationId)
                .setParameter("grantee", grantee)
                .getResultList()
                .isEmpty();
    }
}
