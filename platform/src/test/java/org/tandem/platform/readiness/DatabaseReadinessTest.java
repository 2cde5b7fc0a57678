package org.tandem.platform.readiness;

import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The database check's answers, with the database's answer in the test's hands. */
class DatabaseReadinessTest {

    final DatabaseReadiness readiness = new DatabaseReadiness();
    final AtomicInteger checks = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        readiness.stop();
    }

    HealthCheckResponse probe(DatabaseReadiness.Check check) throws Exception {
        return readiness.answer(check).get(5, TimeUnit.SECONDS);
    }

    @Test
    void a_database_that_answers_is_up_and_is_asked_once_while_the_result_is_fresh() throws Exception {
        DatabaseReadiness.Check answers = () -> {
            checks.incrementAndGet();
            return true;
        };
        for (int i = 0; i < 20; i++) {
            assertThat(probe(answers).getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        }
        assertThat(checks).hasValue(1);
    }

    @Test
    void a_refused_connection_is_down_with_its_cause() throws Exception {
        HealthCheckResponse r = probe(() -> {
            throw new SQLException("connection refused");
        });
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(r.getData().orElseThrow()).containsEntry("<default>", "DOWN - SQLException");
        assertThat(r.getName()).isEqualTo(DatabaseReadiness.NAME);
    }

    @Test
    void a_database_that_does_not_answer_is_down_within_the_probe_wait_and_is_not_asked_twice() throws Exception {
        DatabaseReadiness.Check hangs = () -> {
            checks.incrementAndGet();
            release.await();
            return true;
        };
        long start = System.nanoTime();
        HealthCheckResponse first = probe(hangs);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(first.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat((String) first.getData().orElseThrow().get("<default>")).startsWith("no answer for ");
        assertThat(tookMillis).isLessThan(DatabaseReadiness.PROBE_WAIT.toMillis() + 1000);
        // a second probe joins the check under way instead of beginning another
        assertThat(probe(hangs).getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(checks).hasValue(1);
        // once the database answers, the next probe says so
        release.countDown();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        HealthCheckResponse after = probe(hangs);
        while (after.getStatus() != HealthCheckResponse.Status.UP && System.nanoTime() < until) {
            Thread.sleep(50);
            after = probe(hangs);
        }
        assertThat(after.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }
}
