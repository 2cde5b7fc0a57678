package org.tandem.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;
import org.jfree.data.xy.XYSeries;

/** The registry search section of the benchmark report, and its plot. */
public final class SearchReport {

    /** What the search phase found: how many organisations the directory held, and each rate's result. */
    public record Section(int organisations, List<SearchRun.Result> results) {}

    private SearchReport() {}

    /** The Markdown section; empty when the search phase did not run. */
    static String markdown(Section section) {
        if (section == null || section.results().isEmpty()) {
            return "";
        }
        List<SearchRun.Result> results = section.results();
        int seeded = section.organisations();
        StringBuilder md = new StringBuilder();
        md.append("\n## Registry search on ")
                .append(String.format(Locale.ROOT, "%,d", seeded))
                .append(" organisations (milliseconds, open loop)\n\n");
        md.append("Searches through registry-service's HTTP API with a caseworker's token, a seeded mix of country; "
                + "country + two services + language + capacity; free text; capacity; region + eligibility + age; "
                + "text + service + language; next pages by cursor; pages of 20 and 100. Latency from the intended "
                + "send time to the whole answer read.\n\n");
        md.append("| offered /s | achieved /s | searches | p50 | p99 | max | errors | empty pages |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (SearchRun.Result r : results) {
            Histogram h = r.latency();
            md.append(String.format(
                    Locale.ROOT,
                    "| %d | %.1f | %d | %s | %s | %s | %d | %d |%n",
                    r.offeredRate(),
                    r.achievedRate(),
                    r.requests(),
                    Report.ms(h.getValueAtPercentile(50)),
                    Report.ms(h.getValueAtPercentile(99)),
                    Report.ms(h.getMaxValue()),
                    r.errors(),
                    r.empty()));
        }
        Integer highest = results.stream()
                .filter(r -> r.errors() == 0 && r.latency().getValueAtPercentile(99) < 100_000)
                .map(SearchRun.Result::offeredRate)
                .max(Integer::compare)
                .orElse(null);
        md.append("\nHighest offered search rate with p99 under 100 ms and no errors: ")
                .append(highest == null ? "none of the rates tried" : highest + " searches per second")
                .append(".\n");
        md.append("\n### Cores used per process while each search rate was offered\n\n");
        md.append(Report.cores(
                results.stream().map(SearchRun.Result::offeredRate).toList(),
                results.stream().map(SearchRun.Result::coresUsed).toList()));
        md.append(
                "\n### By kind of search, all rates together\n\n| kind | samples | p50 | p99 | max |\n|---|---|---|---|---|\n");
        for (SearchWorkload.Kind k : SearchWorkload.Kind.values()) {
            Histogram all = new Histogram(3_600_000_000L, 3);
            results.forEach(r -> all.add(r.byKind().get(k)));
            if (all.getTotalCount() > 0) {
                md.append(Report.line(k.name().toLowerCase(Locale.ROOT).replace('_', ' '), all))
                        .append('\n');
            }
        }
        md.append("\n![search latency against offered rate](search.png)\n");
        return md.toString();
    }

    static void plot(Path png, Section section) throws IOException {
        if (section == null || section.results().isEmpty()) {
            return;
        }
        List<SearchRun.Result> results = section.results();
        XYSeries p50 = new XYSeries("p50");
        XYSeries p99 = new XYSeries("p99");
        XYSeries max = new XYSeries("max");
        for (SearchRun.Result r : results) {
            Histogram h = r.latency();
            if (h.getTotalCount() == 0) {
                continue;
            }
            p50.add(r.offeredRate(), Math.max(0.01, h.getValueAtPercentile(50) / 1000.0));
            p99.add(r.offeredRate(), Math.max(0.01, h.getValueAtPercentile(99) / 1000.0));
            max.add(r.offeredRate(), Math.max(0.01, h.getMaxValue() / 1000.0));
        }
        Report.chart(
                png,
                String.format(Locale.ROOT, "Registry search, %,d organisations", section.organisations()),
                "offered searches per second",
                p50,
                p99,
                max);
    }
}
