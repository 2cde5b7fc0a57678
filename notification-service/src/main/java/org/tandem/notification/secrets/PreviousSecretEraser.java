package org.tandem.notification.secrets;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

import org.tandem.notification.persistence.WebhookEndpointRepository;

/**
 * Erases a rotated-out secret when its overlap ends: the column is set to NULL, not merely ignored. One
 * UPDATE does it, so that several instances may sweep at once (the second finds nothing left to erase).
 * Signing never uses a previous secret after its overlap anyway ({@link WebhookSecrets#signingSecrets}).
 */
@ApplicationScoped
public class PreviousSecretEraser {

    private static final Logger LOG = Logger.getLogger(PreviousSecretEraser.class);

    @Inject
    WebhookEndpointRepository endpoints;

    @Inject
    Clock clock;

    @Scheduled(
            every = "${tandem.webhooks.previous-secret-sweep:1m}",
            delayed = "${tandem.webhooks.previous-secret-sweep:1m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    @Transactional
    void sweep() {
        erase();
    }

    /** Erases every previous secret whose overlap has ended; returns how many. */
    @Transactional
    public int erase() {
        int erased = endpoints.erasePreviousSecrets(clock.instant());
        if (erased > 0) {
            LOG.infof("erased %d previous webhook secrets whose overlap ended", erased);
        }
        return erased;
    }
}
