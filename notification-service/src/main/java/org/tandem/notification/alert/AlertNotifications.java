package org.tandem.notification.alert;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.tandem.notification.persistence.AlertEntity;

/**
 * Carries every committed alert to the live feeds of every instance, not only the one that raised it. The
 * transaction that stores an alert also sends {@code NOTIFY tandem_alerts, '<seq>'}, which PostgreSQL delivers
 * at commit (never for a rollback) to each instance listening here on a connection of its own; the instance
 * reads the alert by its sequence number and hands it to its subscribers. The payload of the notification is
 * the number only. A listener that lost its connection reconnects; a dashboard that missed alerts meanwhile
 * gets them on its reconnect (Last-Event-ID, docs/webhooks.md).
 */
@ApplicationScoped
public class AlertNotifications {

    static final String CHANNEL = "tandem_alerts";
    private static final Logger LOG = Logger.getLogger(AlertNotifications.class);

    @Inject
    AlertFeed feed;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    private volatile boolean running;
    private Thread listener;

    void start(@Observes StartupEvent event) {
        running = true;
        listener = Thread.ofPlatform().daemon().name("alert-notifications").start(this::listen);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (listener != null) {
            listener.interrupt();
        }
    }

    private void listen() {
        Duration backoff = Duration.ofMillis(200);
        while (running) {
            Properties p = new Properties();
            p.setProperty("user", user);
            p.setProperty("password", password);
            p.setProperty("ApplicationName", "notification-service alert listener");
            p.setProperty("tcpKeepAlive", "true");
            try (Connection c = DriverManager.getConnection(url, p)) {
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                backoff = Duration.ofMillis(200);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = pg.getNotifications(1000);
                    if (received != null) {
                        for (PGNotification n : received) {
                            deliver(n.getParameter());
                        }
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                LOG.warnf(
                        "alert listener lost its database connection (%s), reconnecting in %d ms",
                        e.getSQLState(), backoff.toMillis());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                        ? Duration.ofSeconds(10)
                        : backoff.multipliedBy(2);
            }
        }
    }

    private void deliver(String parameter) {
        long seq;
        try {
            seq = Long.parseLong(parameter);
        } catch (NumberFormatException e) {
            return; // not ours: only sequence numbers are sent on this channel
        }
        try {
            AlertEntity alert = QuarkusTransaction.requiringNew()
                    .call(() -> AlertEntity.<AlertEntity>find("seq", seq).firstResult());
            if (alert != null) {
                feed.deliver(alert.seq, alert.audienceOrganisationId, alert.payload);
            }
        } catch (RuntimeException e) {
            LOG.warnf(
                    "alert %d not shown on the live feeds: %s",
                    seq, e.getClass().getSimpleName());
        }
    }
}
