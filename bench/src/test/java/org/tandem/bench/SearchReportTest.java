package org.tandem.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The search section of the report: one row per rate with its percentiles, one per kind, and the plot. */
class SearchReportTest {

    static SearchRun.Result result(int rate, long... micros) {
        Histogram all = new Histogram(3_600_000_000L, 3);
        Map<SearchWorkload.Kind, Histogram> byKind = new EnumMap<>(SearchWorkload.Kind.class);
        for (SearchWorkload.Kind k : SearchWorkload.Kind.values()) {
            byKind.put(k, new Histogram(3_600_000_000L, 3));
        }
        for (long m : micros) {
            all.recordValue(m);
            byKind.get(SearchWorkload.Kind.COUNTRY).recordValue(m);
        }
        return new SearchRun.Result(
                rate,
                1,
                micros.length,
                all,
                byKind,
                rate > 100 ? 1 : 0,
                2,
                rate - 0.5,
                new java.util.LinkedHashMap<>(Map.of("registry-service", rate / 100.0)));
    }

    static Histogram histogram(long... micros) {
        Histogram h = new Histogram(3_600_000_000L, 3);
        for (long m : micros) {
            h.recordValue(m);
        }
        return h;
    }

    @Test
    void renders_a_row_per_rate_with_p50_p99_and_max() {
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = 1_000 + i * 10; // 1.00 ms to 1.99 ms, below 2,048 µs where the histogram is exact
        }
        String md = SearchReport.markdown(
                new SearchReport.Section(10_000, List.of(result(50, hundred), result(100, 200, 2_000))));
        assertThat(md).contains("## Registry search on 10,000 organisations");
        assertThat(md).contains("| 50 | 49.5 | 100 | 1.49 | 1.98 | 1.99 | 0 | 2 |");
        assertThat(md).contains("| 100 | 99.5 | 2 | 0.20 | 2.00 | 2.00 | 0 | 2 |");
        assertThat(md).contains("| country | 102 |").doesNotContain("| next page |");
        assertThat(md).contains("with p99 under 100 ms and no errors: 100 searches per second.");
        assertThat(md).contains("| offered /s | registry-service |", "| 50 | 0.50 |", "| 100 | 1.00 |");
        assertThat(md).contains("](search.png)");
    }

    @Test
    void a_rate_with_errors_or_a_p99_over_100_ms_is_not_sustained() {
        String md = SearchReport.markdown(
                new SearchReport.Section(10_000, List.of(result(50, 150_000), result(200, 1_000))));
        assertThat(md).contains("with p99 under 100 ms and no errors: none of the rates tried.");
        md = SearchReport.markdown(new SearchReport.Section(10_000, List.of(result(50, 1_000), result(200, 1_000))));
        assertThat(md).contains("with p99 under 100 ms and no errors: 50 searches per second.");
    }

    @Test
    void says_nothing_when_the_phase_did_not_run() {
        assertThat(SearchReport.markdown(null)).isEmpty();
        assertThat(SearchReport.markdown(new SearchReport.Section(0, List.of())))
                .isEmpty();
    }

    @Test
    void the_whole_report_carries_the_section_and_its_plot(@TempDir Path dir) throws Exception {
        Map<String, Histogram> floor =
                Map.of("kafka", histogram(2_000), "postgres", histogram(50), "http", histogram(400));
        Report.write(
                dir,
                "test machine",
                "./tandem bench --search-only",
                floor,
                List.of(),
                null,
                List.of(),
                Map.of(),
                new SearchReport.Section(10_000, List.of(result(50, 3_000, 4_000))),
                null);
        assertThat(Files.readString(dir.resolve("results.md")))
                .contains(
                        "## Registry search on 10,000 organisations",
                        "| 50 | 49.5 | 2 |",
                        "p99 under 100 ms, no errors and no missing webhook: not measured in this run.");
        byte[] png = Files.readAllBytes(dir.resolve("search.png"));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }
}
