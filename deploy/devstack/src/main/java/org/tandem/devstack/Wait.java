package org.tandem.devstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a health check until it passes, the process dies, or time runs out. */
final class Wait {

    private Wait() {}

    static void until(String what, Duration timeout, ProcessHandle process, Path log, Callable<Boolean> healthy) {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(healthy.call())) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            if (process != null && !Processes.isAlive(process)) {
                throw new StackException(what + " exited during start-up." + seeLog(log));
            }
            if (System.nanoTime() > deadline) {
                throw new StackException(what + " was not ready after " + timeout.toSeconds() + " s"
                        + (last != null ? " (last error: " + last + ")" : "") + "." + seeLog(log));
            }
            Processes.sleep(100); // fine enough to time a start-up of a second or two
        }
    }

    /** Where the log is, the first errors of this start in it (the cause, often) and its last lines. */
    private static String seeLog(Path log) {
        return " See its log " + log + ".\nIts first errors:\n" + Processes.firstErrors(log, 10) + "\nIts last lines:\n"
                + Processes.tail(log, 30);
    }
}
