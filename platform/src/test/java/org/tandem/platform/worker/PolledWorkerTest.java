package org.tandem.platform.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The polled worker on its own: no infrastructure. Waits are deadlines with generous margins (a round that
 * should come "at once" may take seconds on a loaded machine); the poll intervals that must not elapse are an
 * hour long, so that a wrongly timed round cannot pass by chance.
 */
class PolledWorkerTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final long DEADLINE_SECONDS = 10;

    private PolledWorker worker;

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void runsAFirstRoundAtStartAndTheNextOnlyWhenWokenUp() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(2);
        worker = new PolledWorker("test-wake", HOUR, HOUR, () -> {
                    rounds.incrementAndGet();
                    first.countDown();
                    second.countDown();
                    return false;
                })
                .start();
        assertThat(first.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(200);
        assertThat(rounds).hasValue(1); // idle: waits for the hour-long poll interval

        worker.wakeUp();
        assertThat(second.await(DEADLINE_SECONDS, TimeUnit.SECONDS))
                .as("a wake-up runs a round at once")
                .isTrue();
    }

    @Test
    void pollsAtItsIntervalWithoutWakeUps() throws Exception {
        CountDownLatch rounds = new CountDownLatch(4);
        worker = new PolledWorker("test-poll", Duration.ofMillis(20), Duration.ofMillis(20), () -> {
                    rounds.countDown();
                    return false;
                })
                .start();
        assertThat(rounds.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void runsAgainAtOnceWhileMoreWorkIsWaiting() throws Exception {
        AtomicInteger left = new AtomicInteger(5);
        CountDownLatch done = new CountDownLatch(1);
        worker = new PolledWorker("test-more", HOUR, HOUR, () -> {
                    if (left.decrementAndGet() == 0) {
                        done.countDown();
                        return false;
                    }
                    return true;
                })
                .start();
        assertThat(done.await(DEADLINE_SECONDS, TimeUnit.SECONDS))
                .as("five rounds without a wake-up or a poll")
                .isTrue();
    }

    @Test
    void keepsRunningAfterAFailedRound() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch recovered = new CountDownLatch(1);
        worker = new PolledWorker("test-failure", Duration.ofMillis(10), Duration.ofMillis(40), () -> {
                    if (calls.incrementAndGet() <= 3) {
                        throw new IllegalStateException("a message that could quote data");
                    }
                    recovered.countDown();
                    return false;
                })
                .start();
        assertThat(recovered.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(worker.isRunning()).isTrue();
    }

    @Test
    void logsAFailureWithoutItsMessage() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                Object[] params = r.getParameters();
                logged.add(params == null ? r.getMessage() : String.format(r.getMessage(), params));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(PolledWorker.class.getName());
        jul.addHandler(capture);
        try {
            CountDownLatch failed = new CountDownLatch(1);
            worker = new PolledWorker("test-log", HOUR, HOUR, () -> {
                        failed.countDown();
                        throw new IllegalStateException("survivor name Jane Example");
                    })
                    .start();
            assertThat(failed.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
            while (logged.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(logged).isNotEmpty();
            assertThat(String.join("\n", logged))
                    .contains("test-log", "java.lang.IllegalStateException")
                    .doesNotContain("Jane Example");
        } finally {
            jul.removeHandler(capture);
        }
    }

    @Test
    void aWakeUpDoesNotCutABackOffShort() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch failed = new CountDownLatch(1);
        worker = new PolledWorker("test-backoff", HOUR, HOUR, () -> {
                    calls.incrementAndGet();
                    failed.countDown();
                    throw new IllegalStateException("down");
                })
                .start();
        assertThat(failed.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        worker.wakeUp();
        worker.wakeUp();
        Thread.sleep(300);
        assertThat(calls).hasValue(1);
    }

    @Test
    void backOffDoublesFromThePollIntervalUpToTheMost() {
        Duration poll = Duration.ofSeconds(1);
        Duration max = Duration.ofSeconds(10);
        assertThat(PolledWorker.backoff(poll, max, 1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(PolledWorker.backoff(poll, max, 2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(PolledWorker.backoff(poll, max, 3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(PolledWorker.backoff(poll, max, 4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(PolledWorker.backoff(poll, max, 5)).isEqualTo(max);
        assertThat(PolledWorker.backoff(poll, max, Integer.MAX_VALUE)).isEqualTo(max);
    }

    @Test
    void stopLetsTheCurrentRoundFinishAndRunsNoOther() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch inRound = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        worker = new PolledWorker("test-stop", Duration.ofMillis(10), Duration.ofMillis(10), () -> {
                    rounds.incrementAndGet();
                    inRound.countDown();
                    finish.await();
                    finished.incrementAndGet();
                    return true;
                })
                .start();
        assertThat(inRound.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        Thread releaser = Thread.ofPlatform().start(() -> {
            sleepQuietly(100);
            finish.countDown();
        });
        assertThat(worker.stop(Duration.ofSeconds(DEADLINE_SECONDS))).isTrue();
        releaser.join();
        assertThat(finished).hasValue(1);
        assertThat(rounds).hasValue(1);
        assertThat(worker.isRunning()).isFalse();
        worker.wakeUp(); // harmless after the stop
        Thread.sleep(100);
        assertThat(rounds).hasValue(1);
    }

    @Test
    void stopInterruptsARoundThatOutlastsTheGrace() throws Exception {
        CountDownLatch inRound = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        worker = new PolledWorker("test-interrupt", HOUR, HOUR, () -> {
                    inRound.countDown();
                    try {
                        Thread.sleep(HOUR.toMillis());
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                        throw e;
                    }
                    return false;
                })
                .start();
        assertThat(inRound.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(worker.stop(Duration.ofMillis(50))).isTrue();
        assertThat(interrupted).hasValue(1);
    }

    @Test
    void refusesSettingsThatCannotWork() {
        assertThatThrownBy(() -> new PolledWorker("w", Duration.ZERO, HOUR, () -> false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PolledWorker("w", HOUR, Duration.ofSeconds(1), () -> false))
                .isInstanceOf(IllegalArgumentException.class);
        worker = new PolledWorker("test-twice", HOUR, HOUR, () -> false).start();
        assertThatThrownBy(worker::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aWakeUpBeforeTheStartIsHarmless() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        worker = new PolledWorker("test-early", HOUR, HOUR, () -> {
            ran.countDown();
            return false;
        });
        worker.wakeUp();
        assertThat(worker.isRunning()).isFalse();
        worker.start();
        assertThat(ran.await(DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
