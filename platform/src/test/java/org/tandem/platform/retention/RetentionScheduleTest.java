package org.tandem.platform.retention;

import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daily run of a service's retention job, without a database: the lease is a fake that answers as the
 * {@code retention_job} row would (taken once per period), and the job records when it ran.
 */
class RetentionScheduleTest {

    static final Instant T0 = Instant.parse("2041-02-10T10:00:00Z");

    /** Takes a job once per period, as the conditional upsert does; records what it was asked. */
    static final class FakeLease extends RetentionLease {
        final Map<String, Instant> lastRun = new java.util.HashMap<>();
        final List<String> asked = new ArrayList<>();

        @Override
        public boolean tryTake(String job, Period every, Instant now) {
            asked.add(job + " every " + every);
            Instant last = lastRun.get(job);
            if (last != null
                    && last.atZone(java.time.ZoneOffset.UTC)
                            .plus(every)
                            .toInstant()
                            .isAfter(now)) {
                return false;
            }
            lastRun.put(job, now);
            return true;
        }
    }

    static final class RecordingJob implements ServiceRetention {
        final List<Instant> runs = new ArrayList<>();

        @Override
        public String service() {
            return "test-service";
        }

        @Override
        public String job() {
            return "test-retention";
        }

        @Override
        public Map<RetentionKind, Integer> run(Instant now) {
            runs.add(now);
            return Map.of(RetentionKind.ALERTS, runs.size());
        }

        @Override
        public List<RetentionReport.Row> report(Instant now, UUID org) {
            throw new AssertionError("the schedule does not report");
        }
    }

    static RetentionSchedule schedule(FakeLease lease, RecordingJob job, Period every) {
        RetentionSchedule s = new RetentionSchedule();
        s.lease = lease;
        s.retention = job;
        s.runEvery = every;
        return s;
    }

    @Test
    void the_job_runs_when_its_lease_is_taken_and_not_again_within_the_period() {
        FakeLease lease = new FakeLease();
        RecordingJob job = new RecordingJob();
        RetentionSchedule schedule = schedule(lease, job, Period.ofDays(1));

        assertThat(schedule.runIfDue(T0)).contains(Map.of(RetentionKind.ALERTS, 1));
        assertThat(schedule.runIfDue(T0.plusSeconds(3600))).isEmpty();
        assertThat(schedule.runIfDue(T0.plusSeconds(23 * 3600))).isEmpty();
        assertThat(schedule.runIfDue(T0.plusSeconds(24 * 3600))).contains(Map.of(RetentionKind.ALERTS, 2));

        assertThat(job.runs).containsExactly(T0, T0.plusSeconds(24 * 3600));
        assertThat(lease.asked).hasSize(4).allMatch(a -> a.equals("test-retention every P1D"));
    }

    @Test
    void another_instance_that_holds_the_lease_keeps_this_one_from_running() {
        FakeLease lease = new FakeLease();
        lease.lastRun.put("test-retention", T0.minusSeconds(60)); // another instance ran a minute ago
        RecordingJob job = new RecordingJob();
        RetentionSchedule schedule = schedule(lease, job, Period.ofDays(1));

        assertThat(schedule.runIfDue(T0)).isEmpty();
        assertThat(job.runs).isEmpty();
    }

    @Test
    void the_period_between_runs_is_the_configured_one() {
        FakeLease lease = new FakeLease();
        RecordingJob job = new RecordingJob();
        RetentionSchedule schedule = schedule(lease, job, Period.ofDays(7));

        assertThat(schedule.runIfDue(T0)).isPresent();
        assertThat(schedule.runIfDue(T0.plus(java.time.Duration.ofDays(6)))).isEmpty();
        assertThat(schedule.runIfDue(T0.plus(java.time.Duration.ofDays(7)))).isPresent();
        assertThat(lease.asked).allMatch(a -> a.endsWith("every P7D"));
    }
}
