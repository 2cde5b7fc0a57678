package org.tandem.referral.persistence;

import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

/**
 * Writes the steps of a referral's timeline ({@code referral_history}); {@link HistoryEntry} reads them.
 *
 * <p>One plain-JDBC insert on the session's connection, in the caller's transaction. Persisting a {@link HistoryEntry}
 * was Hibernate's identity insert: the statement with {@code returning *}, its generated keys and a managed entity
 * checked again at the commit, about 7% of referral-service's CPU at 200 transitions a second, half of it outside the
 * statement (#18). Nothing reads the new row's id.
 */
@ApplicationScoped
public class ReferralHistory {

    private static final String INSERT = """
            insert into referral_history (referral_id, at, step, status, actor_org, code, linked_referral)
            values (?, ?, ?, ?, ?, ?, ?)""";

    @Inject
    EntityManager em;

    /**
     * Appends one step in the caller's transaction. The referral's own row must be in the database by then (the
     * foreign key): a referral persisted in this transaction needs a flush first, which Hibernate's identity insert
     * did by itself.
     *
     * @param status the referral's status after the step
     * @param actorOrg the organisation that took the step; null for the hub's own steps
     * @param code a decline reason, an outcome or a missed deadline; null for the other steps
     * @param linked the referral this step links to (a redirect's new one, or the one it continues); null if none
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(
            UUID referralId, Instant at, String step, String status, UUID actorOrg, String code, UUID linked) {
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setObject(1, referralId);
                insert.setObject(2, at.atOffset(ZoneOffset.UTC));
                insert.setString(3, step);
                insert.setString(4, status);
                insert.setObject(5, actorOrg, Types.OTHER);
                insert.setString(6, code);
                insert.setObject(7, linked, Types.OTHER);
                insert.executeUpdate();
            }
        });
    }
}
