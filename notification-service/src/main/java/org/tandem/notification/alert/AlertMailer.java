package org.tandem.notification.alert;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;
import org.tandem.notification.persistence.AlertEntity;
import org.tandem.platform.problem.SafeThrowables;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Sends alert e-mails through the Quarkus Mailer. An alert's e-mail is due until it is marked sent, so an
 * SMTP server that is down delays it and loses nothing: a sweep retries every few seconds. The text is
 * fixed phrases and ids, never data about a survivor.
 */
@ApplicationScoped
public class AlertMailer {

    private static final Logger LOG = Logger.getLogger(AlertMailer.class);

    @Inject
    Mailer mailer;

    @Inject
    EntityManager em;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "alert-mailer");
        t.setDaemon(true);
        return t;
    });

    void onRaised(@Observes(during = TransactionPhase.AFTER_SUCCESS) AlertRaised alert) {
        worker.submit(this::sendDueSafely);
    }

    @Scheduled(every = "${tandem.alerts.mail-sweep:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        worker.submit(this::sendDueSafely);
    }

    void stop(@Observes ShutdownEvent e) {
        worker.shutdownNow();
    }

    private void sendDueSafely() {
        try {
            while (sendDue() > 0) {
                // until none is due
            }
        } catch (RuntimeException ex) {
            LOG.warnf("alert e-mail round failed: %s", SafeThrowables.describe(ex));
        }
    }

    /** Failed attempts after which an alert's e-mail is given up (the alert itself stays in the feed and list). */
    static final int MAX_ATTEMPTS = 50;

    /**
     * Sends up to 20 due e-mails, each in its own transaction that locks it, marks it sent once the SMTP server
     * took it, or counts the failure. Returns how many were sent.
     */
    int sendDue() {
        List<Long> due = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select seq from AlertEntity where emailTo is not null and emailedAt is null and emailAttempts < :max order by seq",
                Long.class).setParameter("max", MAX_ATTEMPTS).setMaxResults(20).getResultList());
        int sent = 0;
        for (Long seq : due) {
            try {
                if (QuarkusTransaction.requiringNew().call(() -> send(seq))) {
                    sent++;
                }
            } catch (RuntimeException ex) {
                QuarkusTransaction.requiringNew().run(() -> em.createQuery(
                        "update AlertEntity set emailAttempts = emailAttempts + 1 where seq = :seq")
                        .setParameter("seq", seq).executeUpdate());
                LOG.warnf("alert e-mail %d not sent (will retry): %s", seq, SafeThrowables.describe(ex));
                return 0; // the SMTP server is probably down: wait for the next sweep
            }
        }
        return sent;
    }

    private boolean send(Long seq) {
        AlertEntity a = em.find(AlertEntity.class, seq, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE,
                java.util.Map.of("jakarta.persistence.lock.timeout", -2)); // SKIP LOCKED: another instance sends it
        if (a == null || a.emailedAt != null) {
            return false;
        }
        AlertKind kind = AlertKind.valueOf(a.kind);
        String[] to = Arrays.stream(a.emailTo.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
        Mail mail = new Mail().setTo(List.of(to)).setSubject("[Tandem] " + kind.subject())
                .setText(kind.subject() + ".\n\nAlert " + a.id + " (" + a.kind + ") at " + a.createdAt + ":\n"
                        + a.payload + "\n\nOpen Tandem to act on it. This message holds ids only.\n")
                .addHeader("X-Tandem-Alert-Id", a.id.toString());
        mailer.send(mail);
        a.emailedAt = java.time.Instant.now();
        return true;
    }
}
