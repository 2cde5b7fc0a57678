package org.tandem.platform.worker;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import org.tandem.platform.problem.SafeThrowables;

/**
 * A background loop on one thread of its own that runs a {@link Round} again and again: at once while the last
 * round says more work is waiting, otherwise after {@link #wakeUp()} or after the poll interval, whichever
 * comes first. A round that fails is logged (exception classes and frames, never messages: they can quote
 * data) and the next one waits a back-off that starts at the poll interval and doubles up to the most back-off
 * after each further failure in a row; a wake-up does not cut a back-off short, so that a failing dependency
 * is not hammered by every commit. {@link #stop(Duration)} lets the current round finish for a grace period,
 * then interrupts it.
 *
 * <p>The relay of the outbox, the webhook dispatcher and the alert mailer run on it (docs/architecture.md).
 */
public final class PolledWorker {

    private static final Logger LOG = Logger.getLogger(PolledWorker.class);

    /** One round of work. */
    @FunctionalInterface
    public interface Round {
        /**
         * Does some work; returns whether more is waiting, so that the next round should start at once. An
         * exception fails the round; an {@link InterruptedException} ends the worker.
         */
        boolean run() throws Exception;
    }

    private final String name;
    private final Duration pollInterval;
    private final Duration maxBackoff;
    private final Round round;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    /**
     * @param name         the thread's name, also in the log
     * @param pollInterval how long an idle worker waits for a wake-up before it runs a round anyway (more than zero)
     * @param maxBackoff   the longest wait after failed rounds; at least the poll interval
     */
    public PolledWorker(String name, Duration pollInterval, Duration maxBackoff, Round round) {
        this.name = Objects.requireNonNull(name);
        this.round = Objects.requireNonNull(round);
        if (pollInterval.isZero() || pollInterval.isNegative()) {
            throw new IllegalArgumentException(name + ": the poll interval must be more than zero");
        }
        if (maxBackoff.compareTo(pollInterval) < 0) {
            throw new IllegalArgumentException(name + ": the most back-off must be at least the poll interval");
        }
        this.pollInterval = pollInterval;
        this.maxBackoff = maxBackoff;
    }

    /** Starts the thread (a daemon, so that a service whose start failed still exits). Starts once only. */
    public synchronized PolledWorker start() {
        if (thread != null) {
            throw new IllegalStateException(name + " was already started");
        }
        running = true;
        thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
        thread.start();
        return this;
    }

    /** Runs the next round now (or right after the current one). Harmless before the start and after the stop. */
    public void wakeUp() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /** Whether the thread is alive. */
    public synchronized boolean isRunning() {
        return thread != null && thread.isAlive();
    }

    /**
     * Stops the worker: no new round starts; the current one may finish for {@code grace}, then it is interrupted.
     * Returns whether the thread ended.
     */
    public boolean stop(Duration grace) {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        wake.release();
        if (t == null) {
            return true;
        }
        try {
            t.join(Math.max(1, grace.toMillis()));
            if (t.isAlive()) {
                t.interrupt();
                t.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }

    private void loop() {
        int failures = 0;
        while (running) {
            Duration wait;
            try {
                boolean more = round.run();
                failures = 0;
                if (more) {
                    continue;
                }
                wait = pollInterval;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failures++;
                wait = backoff(pollInterval, maxBackoff, failures);
                LOG.warnf(
                        "%s: round failed (%d in a row), next in %d ms: %s",
                        name, failures, wait.toMillis(), SafeThrowables.describe(e));
                if (!sleep(wait)) {
                    return;
                }
                continue;
            }
            try {
                wake.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Sleeps without heeding wake-ups; false when interrupted or stopped. */
    private boolean sleep(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        try {
            while (running) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                // the stop releases a permit: poll in short steps so that a stop is seen at once
                if (wake.tryAcquire(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS)
                        && !running) {
                    return false;
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The wait after {@code failures} failed rounds in a row: the poll interval, doubled per further failure, at most {@code max}. */
    static Duration backoff(Duration pollInterval, Duration max, int failures) {
        Duration wait = pollInterval;
        for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
