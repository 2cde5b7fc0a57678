package org.tandem.referral.persistence;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.tandem.platform.retention.RetentionCounts;

/**
 * The SQL of the hub-key rotation (docs/retention.md, "Backups"): the case-file data keys wrapped with an older
 * hub key, their re-wrapping, and {@code hub_key_retirement}, which records when a hub key stopped wrapping live
 * data keys and when it was retired. Every method runs in the caller's transaction.
 */
@ApplicationScoped
public class HubKeyRotationRepository {

    /** A data key wrapped with a hub key other than the current one. */
    public record WrappedKey(UUID referralId, String hubKeyId, byte[] wrappedKey) {}

    @Inject
    EntityManager em;

    /** Up to {@code limit} data keys wrapped with another key than {@code current}, locked, skipping locked rows. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<WrappedKey> lockWrappedWithOtherThan(String current, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select referral_id, hub_key_id, wrapped_key from case_file_key where hub_key_id <> :current
                order by referral_id limit :n for update skip locked""")
                .setParameter("current", current)
                .setParameter("n", limit)
                .getResultList();
        return rows.stream()
                .map(r -> new WrappedKey((UUID) r[0], (String) r[1], (byte[]) r[2]))
                .toList();
    }

    /** Stores the data key of {@code referralId} wrapped with {@code hubKeyId}; returns how many rows changed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int rewrap(UUID referralId, String hubKeyId, byte[] wrapped) {
        return em.createNativeQuery(
                        "update case_file_key set hub_key_id = :current, wrapped_key = :wrapped where referral_id = :id")
                .setParameter("current", hubKeyId)
                .setParameter("wrapped", wrapped)
                .setParameter("id", referralId)
                .executeUpdate();
    }

    /** How many data keys each hub key other than {@code current} still wraps (keys that wrap none are absent). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Map<String, Long> countWrappedWithOtherThan(String current) {
        @SuppressWarnings("unchecked")
        List<Object[]> counts = em.createNativeQuery(
                        "select hub_key_id, count(*) from case_file_key where hub_key_id <> :current group by hub_key_id")
                .setParameter("current", current)
                .getResultList();
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach(c -> out.put((String) c[0], ((Number) c[1]).longValue()));
        return out;
    }

    /** The hub key is in use again: forgets since when it was unused, unless it was retired. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markInUse(String hubKeyId) {
        em.createNativeQuery("delete from hub_key_retirement where hub_key_id = :id and retired_at is null")
                .setParameter("id", hubKeyId)
                .executeUpdate();
    }

    /** Records that the hub key is unused from {@code now}, unless already recorded; returns since when it is. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Instant unusedSince(String hubKeyId, Instant now) {
        em.createNativeQuery(
                        "insert into hub_key_retirement (hub_key_id, unused_since) values (:id, :now) on conflict do nothing")
                .setParameter("id", hubKeyId)
                .setParameter("now", now)
                .executeUpdate();
        return RetentionCounts.instant(
                em.createNativeQuery("select unused_since from hub_key_retirement where hub_key_id = :id")
                        .setParameter("id", hubKeyId)
                        .getSingleResult());
    }

    /** Records the hub key as retired at {@code now}, unless it was retired before. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void retire(String hubKeyId, Instant now) {
        em.createNativeQuery(
                        "update hub_key_retirement set retired_at = coalesce(retired_at, :now) where hub_key_id = :id")
                .setParameter("id", hubKeyId)
                .setParameter("now", now)
                .executeUpdate();
    }
}
