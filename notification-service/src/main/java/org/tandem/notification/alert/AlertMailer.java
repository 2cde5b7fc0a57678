package org.tandem.notification.alert;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import org.tandem.notification.persistence.AlertEntity;
import org.tandem.platform.problem.SafeThrowables;
import org.tandem.platform.worker.PolledWorker;

/**
 * Sends alert e-mails through the Quarkus Mailer. An alert's e-mail is due until it is marked sent, so an
 * SMTP server that is down delays it and loses nothing. It runs on a {@link PolledWorker}: woken after the
 * commit of every alert, and sweeping every {@code tandem.alerts.mail-sweep} for e-mails still due. The text is
 * fixed phrases and ids, never data about a survivor.
 */
@ApplicationScoped
public class AlertMailer {

    private static final Logger LOG = Logger.getLogger(AlertMailer.class);

    @Inject
    Mailer mailer;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    /** How often due e-mails are looked for without a new alert (after an SMTP failure, the wait before the retry). */
    @ConfigProperty(name = "tandem.alerts.mail-sweep", defaultValue = "10s")
    Duration sweep;

    private PolledWorker worker;

    void start(@Observes StartupEvent e) {
        worker = new PolledWorker("alert-mailer", sweep, sweep, () -> sendDue() > 0).start();
    }

    void onRaised(@Observes(during = TransactionPhase.AFTER_SUCCESS) AlertRaised alert) {
        if (worker != null) {
            worker.wakeUp();
        }
    }

    void stop(@Observes ShutdownEvent e) {
        if (worker != null) {
            worker.stop(Duration.ofSeconds(5));
        }
    }

    /** Failed attempts after which an alert's e-mail is given up (the alert itself stays in the feed and list). */
    static final int MAX_ATTEMPTS = 50;

    /**
     * Sends up to 20 due e-mails, each in its own transaction that locks it, marks it sent once the SMTP server
     * took it, or counts the failure. Returns how many were sent.
     */
    int sendDue() {
        List<Long> due = QuarkusTransaction.requiringNew()
                .call(() -> em.createQuery(
                                "select seq from AlertEntity where emailTo is not null and emailedAt is null and emailAttempts < :max order by seq",
                                Long.class)
                        .setParameter("max", MAX_ATTEMPTS)
                        .setMaxResults(20)
                        .getResultList());
        int sent = 0;
        for (Long seq : due) {
            try {
                if (QuarkusTransaction.requiringNew().call(() -> send(seq))) {
                    sent++;
                }
            } catch (RuntimeException ex) {
                QuarkusTransaction.requiringNew()
                        .run(() -> em.createQuery(
                                        "update AlertEntity set emailAttempts = emailAttempts + 1 where seq = :seq")
                                .setParameter("seq", seq)
                                .executeUpdate());
                LOG.warnf("alert e-mail %d not sent (will retry): %s", seq, SafeThrowables.describe(ex));
                return 0; // the SMTP server is probably down: wait for the next sweep
            }
        }
        return sent;
    }

    private boolean send(Long seq) {
        AlertEntity a = em.find(
                AlertEntity.class,
                seq,
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE,
                java.util.Map.of("jakarta.persistence.lock.timeout", -2)); // SKIP LOCKED: another instance sends it
        if (a == null || a.emailedAt != null) {
            return false;
        }
        AlertKind kind = AlertKind.valueOf(a.kind);
        String[] to = Arrays.stream(a.emailTo.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toArray(String[]::new);
        Mail mail = new Mail()
                .setTo(List.of(to))
                .setSubject("[Tandem] " + kind.subject())
                .setText(kind.subject() + ".\n\nAlert " + a.id + " (" + a.kind + ") at " + a.createdAt + ":\n"
                        + a.payload + "\n\nOpen Tandem to act on it. This message holds ids only.\n")
                .addHeader("X-Tandem-Alert-Id", a.id.toString());
        mailer.send(mail);
        a.emailedAt = clock.instant();
        return true;
    }
}
