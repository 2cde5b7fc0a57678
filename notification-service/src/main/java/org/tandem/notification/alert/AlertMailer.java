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

    /** Sends up to 20 due e-mails, each marked sent in the transaction that locked it. */
    int sendDue() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<AlertEntity> due = em.createQuery(
                    "from AlertEntity where emailTo is not null and emailedAt is null order by seq", AlertEntity.class)
                    .setMaxResults(20).setLockMode(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                    .setHint("jakarta.persistence.lock.timeout", -2) // SKIP LOCKED
                    .getResultList();
            for (AlertEntity a : due) {
                AlertKind kind = AlertKind.valueOf(a.kind);
                String[] to = Arrays.stream(a.emailTo.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
                Mail mail = new Mail().setTo(List.of(to)).setSubject("[Tandem] " + kind.subject())
                        .setText(kind.subject() + ".\n\nAlert " + a.id + " (" + a.kind + ") at " + a.createdAt + ":\n"
                                + a.payload + "\n\nOpen Tandem to act on it. This message holds ids only.\n")
                        .addHeader("X-Tandem-Alert-Id", a.id.toString());
                mailer.send(mail);
                a.emailedAt = java.time.Instant.now();
            }
            return due.size();
        });
    }
}
