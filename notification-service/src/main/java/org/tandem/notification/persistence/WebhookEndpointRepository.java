package org.tandem.notification.persistence;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The SQL on webhook endpoints that must not go through the versioned entity: single atomic updates of an
 * endpoint's health, so that results recorded at the same time for one endpoint never conflict (a lost result
 * would mean sending again what was already delivered), the owner lock of the endpoint limit, and the erasure of
 * rotated-out secrets.
 */
@ApplicationScoped
public class WebhookEndpointRepository {

    /** An endpoint's failure count after one more failure, with whom to tell. */
    public record Failures(UUID organisationId, String alertEmail, int consecutive) {}

    @Inject
    EntityManager em;

    /** A success: the failure count goes back to zero and a failing alert may be raised again later. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void resetFailures(UUID endpointId) {
        em.createNativeQuery("""
                update webhook_endpoint set consecutive_failures = 0, failing_alerted = false
                where id = :id and (consecutive_failures <> 0 or failing_alerted)""").setParameter("id", endpointId).executeUpdate();
    }

    /** Disables an endpoint that answered 410 Gone; returns whether it was enabled until now. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean disableGone(UUID endpointId, Instant now) {
        return em.createNativeQuery("""
                update webhook_endpoint set enabled = false, disabled_reason = 'GONE', updated_at = :now, version = version + 1
                where id = :id and enabled""")
                        .setParameter("now", now)
                        .setParameter("id", endpointId)
                        .executeUpdate()
                == 1;
    }

    /** Counts one more failure in a row. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Failures countFailure(UUID endpointId) {
        Object[] row = (Object[])
                em.createNativeQuery("""
                update webhook_endpoint set consecutive_failures = consecutive_failures + 1
                where id = :id returning organisation_id, alert_email, consecutive_failures""").setParameter("id", endpointId).getSingleResult();
        return new Failures((UUID) row[0], (String) row[1], ((Number) row[2]).intValue());
    }

    /** Marks that the coordinators were told the endpoint keeps failing; false when they already were. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean markFailingAlerted(UUID endpointId) {
        return em.createNativeQuery(
                                "update webhook_endpoint set failing_alerted = true where id = :id and not failing_alerted")
                        .setParameter("id", endpointId)
                        .executeUpdate()
                == 1;
    }

    /** Holds a lock on {@code key} until the caller's transaction ends (PostgreSQL advisory lock). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockOwner(long key) {
        em.createNativeQuery("select pg_advisory_xact_lock(:key)")
                .setParameter("key", key)
                .getSingleResult();
    }

    /** Erases every previous secret whose overlap has ended, in one statement; returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int erasePreviousSecrets(Instant now) {
        return em.createNativeQuery("""
                update webhook_endpoint set previous_secret_sealed = null, previous_secret_until = null
                where previous_secret_sealed is not null
                  and (previous_secret_until is null or previous_secret_until <= :now)""").setParameter("now", now).executeUpdate();
    }

    /** An endpoint row's sealed columns, in the order of {@code WebhookSecrets.COLUMNS}. */
    public record SealedColumns(UUID id, String secret, String previousSecret, String ed25519PrivateKey) {
        public List<String> values() {
            return java.util.Arrays.asList(secret, previousSecret, ed25519PrivateKey);
        }
    }

    /**
     * Locks up to {@code n} endpoint rows that hold a value sealed under another key id than {@code keyId}, skipping
     * rows that another transaction holds.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<SealedColumns> lockSealedUnderOtherKey(String keyId, int n) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select id, secret_sealed, previous_secret_sealed, ed25519_private_key_sealed from webhook_endpoint
                where split_part(secret_sealed, '.', 2) <> :kid
                   or split_part(previous_secret_sealed, '.', 2) <> :kid
                   or split_part(ed25519_private_key_sealed, '.', 2) <> :kid
                order by id limit :n
                for update skip locked""")
                .setParameter("kid", keyId)
                .setParameter("n", n)
                .getResultList();
        return rows.stream()
                .map(r -> new SealedColumns((UUID) r[0], (String) r[1], (String) r[2], (String) r[3]))
                .toList();
    }

    /** Writes an endpoint's sealed columns, and nothing else of the row. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void updateSealed(SealedColumns c) {
        em.createNativeQuery("""
                update webhook_endpoint set secret_sealed = :s, previous_secret_sealed = :p, ed25519_private_key_sealed = :k
                where id = :id""")
                .setParameter("s", c.secret())
                .setParameter("p", c.previousSecret())
                .setParameter("k", c.ed25519PrivateKey())
                .setParameter("id", c.id())
                .executeUpdate();
    }

    /** Sealed values under another key id than {@code keyId}, counted by key id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, Long> sealedUnderOtherKeys(String keyId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows =
                em.createNativeQuery("""
                select kid, count(*) from (
                    select split_part(secret_sealed, '.', 2) as kid from webhook_endpoint
                    union all select split_part(previous_secret_sealed, '.', 2) from webhook_endpoint
                    union all select split_part(ed25519_private_key_sealed, '.', 2) from webhook_endpoint
                ) v where kid <> :kid group by kid order by kid""").setParameter("kid", keyId).getResultList();
        Map<String, Long> byKey = new LinkedHashMap<>();
        rows.forEach(r -> byKey.put((String) r[0], ((Number) r[1]).longValue()));
        return byKey;
    }
}
