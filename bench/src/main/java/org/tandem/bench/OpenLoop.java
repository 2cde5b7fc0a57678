package org.tandem.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * The pacing of an open-loop load: request <i>i</i> is due at <i>start + i × period</i>, whatever happened
 * to the ones before, and its latency is measured from that intended time (no coordinated omission).
 */
final class OpenLoop {

    private OpenLoop() {}

    /** Parks the sending thread until {@code nanoTime} (a {@link System#nanoTime()} value) has come. */
    static void sleepUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
