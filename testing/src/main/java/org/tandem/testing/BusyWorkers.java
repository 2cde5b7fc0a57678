package org.tandem.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes every thread of a service's worker pool, as requests do under overload, until closed: tasks that wait are
 * handed to the pool, and {@link #occupy} returns once {@code threads} of them are running, with as many more as
 * asked waiting in the pool's queue behind them. Closing lets the tasks end (they end on their own after a minute).
 */
public final class BusyWorkers implements AutoCloseable {

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();

    private BusyWorkers() {}

    /**
     * Hands {@code threads + queued} waiting tasks to {@code workers} and returns once {@code threads} of them run
     * ({@code threads}: the pool's maximum).
     */
    public static BusyWorkers occupy(ExecutorService workers, int threads, int queued) {
        BusyWorkers busy = new BusyWorkers();
        for (int i = 0; i < threads + queued; i++) {
            workers.execute(() -> {
                busy.running.incrementAndGet();
                try {
                    busy.release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (busy.running.get() < threads) {
            if (System.nanoTime() > until) {
                busy.close();
                throw new IllegalStateException(
                        "only " + busy.running.get() + " of " + threads + " worker threads could be taken");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                busy.close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while taking the worker threads", e);
            }
        }
        return busy;
    }

    /** How many of the tasks have begun: more than {@code threads} would mean the pool had more threads. */
    public int running() {
        return running.get();
    }

    @Override
    public void close() {
        release.countDown();
    }
}
