package org.tandem.notification;

import jakarta.inject.Inject;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

import org.tandem.notification.secrets.SecretRewrap;

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
    static final String BATCH_SIZE = "--batch-size=";

    @Inject
    SecretRewrap rewrap;

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        int batch;
        try {
            batch = rewrapBatchSize(args);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        try {
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
        } catch (RuntimeException e) {
            System.err.println(REWRAP + " failed: " + e.getMessage());
            return 1;
        }
    }

    /** The batch size that {@code rewrap-secrets [--batch-size=N]} asks for; anything else is refused with why. */
    static int rewrapBatchSize(String... args) {
        if (!args[0].equals(REWRAP)) {
            throw new IllegalArgumentException("unknown command");
        }
        int batch = SecretRewrap.DEFAULT_BATCH;
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith(BATCH_SIZE)) {
                throw new IllegalArgumentException("unknown option");
            }
            try {
                batch = Integer.parseInt(args[i].substring(BATCH_SIZE.length()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the batch size is not a number");
            }
            if (batch < 1 || batch > SecretRewrap.MAX_BATCH) {
                throw new IllegalArgumentException("the batch size must be 1 to " + SecretRewrap.MAX_BATCH);
            }
        }
        return batch;
    }

    private static int usage(String why) {
        System.err.println("notification-service: " + why + ". Usage: notification-service [" + REWRAP + " ["
                + BATCH_SIZE + "N]]");
        return 64;
    }
}
