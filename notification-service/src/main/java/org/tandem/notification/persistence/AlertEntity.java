package org.tandem.notification.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An alert for the network's coordinators ({@code audienceOrganisationId} null) or one organisation's admins. */
@Entity
@Table(name = "alert")
public class AlertEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(nullable = false, unique = true)
    public UUID id;

    @Column(nullable = false)
    public String kind;

    @Column(name = "audience_org")
    public UUID audienceOrganisationId;

    /** Thin JSON: kind, ids, codes and time. */
    @Column(nullable = false)
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Comma-separated recipients of its e-mail, or null when it sends none. */
    @Column(name = "email_to")
    public String emailTo;

    @Column(name = "emailed_at")
    public Instant emailedAt;

    /** Failed attempts to hand its e-mail to the SMTP server. */
    @Column(name = "email_attempts", nullable = false)
    public int emailAttempts;

    /**
     * Tells every instance listening on {@code channel} (PostgreSQL {@code LISTEN}) of the alert {@code seq}, at the
     * commit of the caller's transaction; the number only.
     */
    public static void notifyRaised(String channel, long seq) {
        getEntityManager()
                .createNativeQuery("select pg_notify('" + channel + "', :seq)")
                .setParameter("seq", Long.toString(seq))
                .getSingleResult();
    }
}
