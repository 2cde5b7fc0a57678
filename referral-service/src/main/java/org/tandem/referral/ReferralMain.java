package org.tandem.referral;

import jakarta.inject.Inject;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

import org.tandem.platform.command.BatchCommand;
import org.tandem.referral.retention.HubKeyRotation;

/**
 * referral-service's entry point. Without arguments it runs the service. With {@code rewrap-hub-keys
 * [--batch-size=N]} it re-wraps every live case-file data key under the current hub key, prints what became of
 * each older hub key (in use, kept for backups until a time, or retired) and exits: 0 when no live data key is
 * under an older key, 2 when some are (rows that were busy; run it again), 1 when a data key cannot be
 * re-wrapped, 64 for a wrong argument. See docs/retention.md, "Backups".
 */
@QuarkusMain
public class ReferralMain implements QuarkusApplication {

    public static final String REWRAP = "rewrap-hub-keys";
    static final BatchCommand COMMAND =
            new BatchCommand("referral-service", REWRAP, HubKeyRotation.DEFAULT_BATCH, HubKeyRotation.MAX_BATCH);

    @Inject
    HubKeyRotation rotation;

    @Override
    public int run(String... args) {
        return COMMAND.run(args, this::rewrap);
    }

    private int rewrap(int batch) {
        HubKeyRotation.Report report = rotation.run(batch);
        System.out.printf(
                "%s: re-wrapped %d data keys under hub key '%s'%n", REWRAP, report.rewrapped(), report.currentKeyId());
        for (HubKeyRotation.OldKey k : report.oldKeys()) {
            System.out.println(
                    switch (k.state()) {
                        case IN_USE ->
                            "hub key '" + k.id() + "': " + k.remaining() + " data keys still use it; run " + REWRAP
                                    + " again";
                        case KEPT_FOR_BACKUPS ->
                            "hub key '" + k.id() + "': no live data key uses it; keep it until " + k.retireAt()
                                    + ", when the last backup that can hold it expires (tandem.retention.backups)";
                        case RETIRED ->
                            "hub key '" + k.id() + "': retired; remove tandem.case-files.hub-keys." + k.id()
                                    + " from the configuration and destroy every copy of it";
                    });
        }
        return report.remainingTotal() == 0 ? 0 : 2;
    }

    /** The batch size that {@code rewrap-hub-keys [--batch-size=N]} asks for; anything else is refused with why. */
    public static int batchSize(String... args) {
        return COMMAND.batchSize(args);
    }
}
