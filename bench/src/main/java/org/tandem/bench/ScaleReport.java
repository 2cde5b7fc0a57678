package org.tandem.bench;

import java.util.List;
import java.util.Locale;

/**
 * The benchmark's throughput with 1 and with more instances of each service, side by side
 * ({@code ./tandem bench --instances 1,2}): the same rates offered to each stack, one after the other.
 */
public final class ScaleReport {

    /** One stack's ladder: how many instances of each service, what each rate gave, the highest sustained. */
    public record Ladder(int instances, List<LatencyRun.Result> results, Integer highestSustained) {}

    private ScaleReport() {}

    /** A Markdown section: a row per offered rate, per ladder its achieved rate, p99 and errors; empty if one ladder. */
    public static String markdown(List<Ladder> ladders) {
        if (ladders.size() < 2) {
            return "";
        }
        StringBuilder md = new StringBuilder("\n## Throughput by instances of each service\n\n| offered /s |");
        for (Ladder l : ladders) {
            md.append(String.format(
                    Locale.ROOT, " achieved /s (%1$d) | webhook p99 ms (%1$d) | errors (%1$d) |", l.instances()));
        }
        md.append("\n|---|");
        ladders.forEach(l -> md.append("---|---|---|"));
        md.append('\n');
        for (LatencyRun.Result first : ladders.getFirst().results()) {
            md.append("| ").append(first.offeredRate()).append(" |");
            for (Ladder l : ladders) {
                LatencyRun.Result r = l.results().stream()
                        .filter(x -> x.offeredRate() == first.offeredRate())
                        .findFirst()
                        .orElse(null);
                if (r == null) {
                    md.append(" – | – | – |");
                } else {
                    md.append(String.format(
                            Locale.ROOT,
                            " %.1f | %s | %d |",
                            r.achievedRate(),
                            Report.ms(r.webhookLatency().getValueAtPercentile(99)),
                            r.errors() + r.missing()));
                }
            }
            md.append('\n');
        }
        md.append("\nHighest offered rate with p99 under 100 ms, no errors and no missing webhook:");
        for (Ladder l : ladders) {
            md.append(String.format(
                    Locale.ROOT,
                    " %d instance%s: %s;",
                    l.instances(),
                    l.instances() == 1 ? "" : "s",
                    l.highestSustained() == null ? "none of the rates" : l.highestSustained() + "/s"));
        }
        md.setLength(md.length() - 1);
        md.append(". Every stack runs on the same machine, so more instances share the same cores.\n");
        return md.toString();
    }
}
