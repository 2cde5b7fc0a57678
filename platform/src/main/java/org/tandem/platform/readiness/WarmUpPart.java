package org.tandem.platform.readiness;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

/**
 * One part of {@link WarmReadiness}'s work, run on its own thread: at most one attempt at a time, and once an
 * attempt succeeded the part stays done. A failed attempt is begun again by the next {@link #begin}.
 */
final class WarmUpPart {

    private static final Logger LOG = Logger.getLogger(WarmUpPart.class);

    /** The work; it throws when the part is not done yet (a dependency away, a lookup failed). */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    private final String name;
    private final Work work;
    private volatile boolean done;
    /** The attempt under way or the last one; guarded by {@code this}. */
    private CompletableFuture<Void> attempt;

    WarmUpPart(String name, Work work) {
        this.name = name;
        this.work = work;
    }

    boolean done() {
        return done;
    }

    /** Begins an attempt unless the part is done or an attempt is under way; returns that attempt. */
    synchronized CompletableFuture<Void> begin() {
        if (attempt != null && (done || !attempt.isDone())) {
            return attempt;
        }
        CompletableFuture<Void> next = new CompletableFuture<>();
        attempt = next;
        Thread.ofPlatform().daemon().name("tandem-warm-up-" + name).start(() -> {
            long began = System.nanoTime();
            try {
                work.run();
                done = true;
                LOG.infof("warm-up: %s done in %d ms", name, (System.nanoTime() - began) / 1_000_000);
                next.complete(null);
            } catch (Throwable e) { // whatever it was, the attempt ends, so that the next probe can begin another
                LOG.debugf("warm-up: %s not done yet: %s", name, e);
                next.completeExceptionally(e);
            }
        });
        return next;
    }

    /** Waits at most {@code limit} in all for the attempts under way of these parts, however they end. */
    static void awaitAll(Duration limit, WarmUpPart... parts) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (WarmUpPart p : parts) {
            CompletableFuture<Void> a;
            synchronized (p) {
                a = p.attempt;
            }
            long left = deadline - System.nanoTime();
            if (a == null || p.done || left <= 0) {
                continue;
            }
            try {
                a.get(left, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // not done: the probe reports it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
