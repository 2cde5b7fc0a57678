package org.tandem.notification;

import jakarta.inject.Inject;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

import org.tandem.notification.secrets.SecretRewrap;
import org.tandem.platform.command.BatchCommand;

/**
 * notification-service's entry point. Without arguments it runs the service. With {@code rewrap-secrets
 * [--batch-size=N]} it re-wraps every stored secret under the current key-encryption key, prints how many it
 * re-wrapped and how many remain under older key ids, and exits: 0 when none remain, 2 when some do (rows
 * that were busy; run it again), 1 when a secret cannot be opened, 64 for a wrong argument. See
 * docs/security.md, "Rotating the key-encryption key".
 */
@QuarkusMain
public class NotificationMain implements QuarkusApplication {

    public static final String REWRAP = "rewrap-secrets";
    static final BatchCommand COMMAND =
            new BatchCommand("notification-service", REWRAP, SecretRewrap.DEFAULT_BATCH, SecretRewrap.MAX_BATCH);

    @Inject
    SecretRewrap rewrap;

    @Override
    public int run(String... args) {
        return COMMAND.run(args, this::rewrap);
    }

    private int rewrap(int batch) {
        SecretRewrap.Report report = rewrap.run(batch);
        System.out.printf(
                "%s: re-wrapped %d secrets of %d webhook endpoints under key-encryption key '%s'; "
                        + "%d remain under older keys %s%n",
                REWRAP,
                report.values(),
                report.endpoints(),
                report.currentKeyId(),
                report.remainingTotal(),
                report.remaining());
        return report.remainingTotal() == 0 ? 0 : 2;
    }

    /** The batch size that {@code rewrap-secrets [--batch-size=N]} asks for; anything else is refused with why. */
    static int rewrapBatchSize(String... args) {
        return COMMAND.batchSize(args);
    }
}
