package org.tandem.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/** The hop table: each hop measured between the right spans of a trace, each transition counted at its own rate. */
class HopsTest {

    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    private final List<String> lines = new ArrayList<>();

    private void span(String service, String kind, String name, String trace, long start, long end) {
        lines.add(String.format(
                Locale.ROOT,
                "{\"service\":\"%s\",\"traceId\":\"%s\",\"spanId\":\"s%d\",\"parentSpanId\":\"\",\"name\":\"%s\","
                        + "\"kind\":\"%s\",\"startNanos\":%d,\"endNanos\":%d,\"status\":\"UNSET\",\"attributes\":{},"
                        + "\"events\":[],\"links\":0}",
                service,
                trace,
                lines.size(),
                name,
                kind,
                start,
                end));
    }

    /**
     * A transition's whole way starting at {@code t} (nanoseconds): response 2 ms, then pickup {@code p} ms, publish
     * 1, Kafka 3, queued 0.5, processing 2, claim {@code c} ms, attempt 4.
     */
    private void way(String trace, long t, long p, long c) {
        long responseEnd = t + 2 * MS;
        long publishStart = responseEnd + p * MS;
        long publishEnd = publishStart + MS;
        long received = publishEnd + 3 * MS;
        long processStart = received + MS / 2;
        long processEnd = processStart + 2 * MS;
        long attemptStart = processEnd + c * MS;
        span("referral-service", "SERVER", "POST /api/v1/referrals/{id}/acceptance", trace, t, responseEnd);
        span("referral-service", "PRODUCER", "publish tandem.referrals.v1", trace, publishStart, publishEnd);
        // the registry's copy of the same event is not on a webhook's way
        span("registry-service", "CONSUMER", "tandem.referrals.v1 receive", trace, received + 50 * MS, received);
        span("notification-service", "CONSUMER", "tandem.referrals.v1 receive", trace, received, received);
        span("notification-service", "CONSUMER", "tandem.referrals.v1 process", trace, processStart, processEnd);
        span("notification-service", "CLIENT", "webhook attempt", trace, attemptStart, attemptStart + 4 * MS);
        span("notification-service", "CLIENT", "POST", trace, attemptStart, attemptStart + 3 * MS);
    }

    private Path file() throws IOException {
        return Files.write(dir.resolve("traces.jsonl"), lines);
    }

    @Test
    void measures_each_hop_between_the_spans_of_its_trace() throws IOException {
        // 100 transitions at the first rate, pickup 1..100 ms, claim 100..1 ms; spans written out of order
        for (int i = 1; i <= 100; i++) {
            way("a" + i, 1_000 * MS + i * MS, i, 101 - i);
        }
        java.util.Collections.shuffle(lines, new java.util.Random(7));

        List<Hops.RateHops> rates = Hops.read(file(), List.of(new Hops.Window("100/s", 0, 2_000 * MS)));

        Hops.RateHops r = rates.getFirst();
        assertThat(r.traces()).isEqualTo(100);
        assertThat(r.histograms().get(Hops.Hop.PICKUP).getValueAtPercentile(50) / 1000)
                .isEqualTo(50);
        assertThat(r.histograms().get(Hops.Hop.PICKUP).getValueAtPercentile(99) / 1000)
                .isEqualTo(99);
        assertThat(r.histograms().get(Hops.Hop.PUBLISH).getMaxValue() / 1000).isEqualTo(1);
        assertThat(r.histograms().get(Hops.Hop.KAFKA).getValueAtPercentile(50) / 1000)
                .isEqualTo(3);
        assertThat(r.histograms().get(Hops.Hop.QUEUED).getValueAtPercentile(50)).isBetween(499L, 501L);
        assertThat(r.histograms().get(Hops.Hop.PROCESS).getValueAtPercentile(50) / 1000)
                .isEqualTo(2);
        assertThat(r.histograms().get(Hops.Hop.CLAIM).getValueAtPercentile(99) / 1000)
                .isEqualTo(99);
        assertThat(r.histograms().get(Hops.Hop.ATTEMPT).getValueAtPercentile(50) / 1000)
                .isEqualTo(4);
        // pickup + claim is always 101 ms, so every whole way is 101 + 1 + 3 + 0.5 + 2 + 4 ms
        // (a histogram keeps three significant digits)
        assertThat(r.histograms().get(Hops.Hop.TOTAL).getMinValue()).isCloseTo(111_500L, withinPercentage(0.1));
        assertThat(r.histograms().get(Hops.Hop.TOTAL).getMaxValue()).isCloseTo(111_500L, withinPercentage(0.1));
    }

    @Test
    void counts_a_transition_at_the_rate_whose_window_held_its_response() throws IOException {
        for (int i = 0; i < 10; i++) {
            way("slow" + i, 1_000 * MS + i * MS, 50, 1);
        }
        for (int i = 0; i < 30; i++) {
            way("fast" + i, 5_000 * MS + i * MS, 1, 1);
        }
        way("between", 3_000 * MS, 500, 1); // in no window

        List<Hops.RateHops> rates = Hops.read(
                file(),
                List.of(
                        new Hops.Window("10/s", 900 * MS, 2_000 * MS),
                        new Hops.Window("30/s", 4_000 * MS, 6_000 * MS)));

        assertThat(rates).extracting(Hops.RateHops::label).containsExactly("10/s", "30/s");
        assertThat(rates).extracting(Hops.RateHops::traces).containsExactly(10L, 30L);
        assertThat(rates.get(0).histograms().get(Hops.Hop.PICKUP).getMaxValue() / 1000)
                .isEqualTo(50);
        assertThat(rates.get(1).histograms().get(Hops.Hop.PICKUP).getMaxValue() / 1000)
                .isEqualTo(1);
    }

    @Test
    void leaves_out_incomplete_traces_and_cut_lines_and_measures_a_retry_to_its_last_answer() throws IOException {
        way("whole", 1_000 * MS, 1, 1);
        // a retry of the same webhook 5 s later: the attempt hop is the first's, the whole way ends at the second
        span("notification-service", "CLIENT", "webhook attempt", "whole", 6_000 * MS, 6_004 * MS);
        // a referral's creation publishes nothing: a response without the rest
        span("referral-service", "SERVER", "POST /api/v1/referrals/{id}/submission", "lonely", 1_100 * MS, 1_102 * MS);
        lines.add("{\"service\":\"notification-serv"); // the sink stopped mid-line
        lines.add("");

        Hops.RateHops r = Hops.read(file(), List.of(new Hops.Window("1/s", 0, 2_000 * MS)))
                .getFirst();

        assertThat(r.traces()).isEqualTo(1);
        assertThat(r.histograms().get(Hops.Hop.ATTEMPT).getMaxValue() / 1000).isEqualTo(4);
        assertThat(r.histograms().get(Hops.Hop.TOTAL).getMaxValue()).isCloseTo(5_002_000L, withinPercentage(0.1));
    }

    @Test
    void the_section_gives_p50_and_p99_per_rate_and_names_the_largest_tail() throws IOException {
        for (int i = 1; i <= 100; i++) {
            way("t" + i, 1_000 * MS + i * MS, 1, i >= 99 ? 300 : 2);
        }
        List<Hops.RateHops> rates = Hops.read(
                file(),
                List.of(new Hops.Window("100/s", 0, 2_000 * MS), new Hops.Window("200/s", 3_000 * MS, 4_000 * MS)));

        String md = Hops.markdown(rates);

        assertThat(md).contains("## Where a webhook's time goes, hop by hop");
        assertThat(md).contains("| hop | what it is | 100/s | 200/s |");
        assertThat(md).containsPattern("\\| Kafka → received \\| [^|]+ \\| 3\\.00 / 3\\.00 \\| – \\|");
        assertThat(md).contains("| traces | transitions with every span | 100 | 0 |");
        assertThat(md).containsPattern("- 100/s: the largest p99 is processed → attempt's, 30\\d\\.\\d\\d ms");
        assertThat(md).doesNotContain("- 200/s");
    }
}
