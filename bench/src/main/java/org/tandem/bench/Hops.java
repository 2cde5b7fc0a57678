package org.tandem.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;

/**
 * Where a webhook's time goes, hop by hop (#18), read from the spans that the local stack's trace sink keeps
 * ({@code logs/traces.jsonl}, devstack {@code TraceSink}). The relay's publish span carries the request's trace
 * context through the outbox, and notification-service's consumer and sender continue it, so one trace holds a
 * transition's whole way: its response, the relay's pickup and publish, Kafka, the consumer's receive and
 * processing, the dispatcher's claim and the signed request. Each rate's {@link Window} says which transitions were
 * that rate's (their response span started while it was offered). Only span names, kinds and times are read; no
 * attribute, and nothing a service sent, reaches the report.
 */
final class Hops {

    /** The hops, in the order a webhook passes them, and the whole way. */
    enum Hop {
        PICKUP("relay pickup", "the response sent → the relay's publish starts (the outbox row's wait)"),
        PUBLISH("publish", "the relay's publish, until Kafka acknowledged it"),
        KAFKA("Kafka → received", "acknowledged → notification-service's consumer receives it"),
        QUEUED("received → processed", "received → its transaction starts applying it (the batch before it)"),
        PROCESS("processing", "the event applied: inbox, deliveries stored"),
        CLAIM("processed → attempt", "applied → the dispatcher's first attempt starts (the commit, the claim)"),
        ATTEMPT("attempt", "the first signed request, until the partner's endpoint answered"),
        TOTAL("whole way", "the response sent → the last attempt answered");

        final String label;
        final String meaning;

        Hop(String label, String meaning) {
            this.label = label;
            this.meaning = meaning;
        }
    }

    /**
     * The wall-clock interval in which one rate was offered, in nanoseconds since the epoch (the spans' clock): the
     * {@link LatencyRun.LoadWindow} of that rate.
     */
    static final class Window implements LatencyRun.LoadWindow {
        /** The rate as the report names it ("100/s"). */
        final String label;

        long from;
        long to = Long.MAX_VALUE;

        Window(String label) {
            this.label = label;
        }

        Window(String label, long from, long to) {
            this.label = label;
            this.from = from;
            this.to = to;
        }

        @Override
        public void opens() {
            from = epochNanos();
        }

        @Override
        public void closes() {
            to = epochNanos();
        }

        boolean holds(long epochNanos) {
            return epochNanos >= from && epochNanos <= to;
        }

        private static long epochNanos() {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
    }

    /** One rate's hops: a histogram of each (microseconds), and how many transitions had a complete trace. */
    record RateHops(String label, Map<Hop, Histogram> histograms, long traces) {}

    /** The spans of one trace that the hops are measured between; 0 where not (yet) seen. */
    private static final class Way {
        long responseStart;
        long responseEnd;
        long publishStart;
        long publishEnd;
        long received;
        long processStart;
        long processEnd;
        long firstAttemptStart = Long.MAX_VALUE;
        long firstAttemptEnd;
        long lastAttemptEnd;

        boolean complete() {
            return responseEnd > 0
                    && publishStart > 0
                    && received > 0
                    && processStart > 0
                    && firstAttemptStart != Long.MAX_VALUE;
        }

        long[] hops() {
            return new long[] {
                publishStart - responseEnd,
                publishEnd - publishStart,
                received - publishEnd,
                processStart - received,
                processEnd - processStart,
                firstAttemptStart - processEnd,
                firstAttemptEnd - firstAttemptStart,
                lastAttemptEnd - responseEnd
            };
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private Hops() {}

    /**
     * Reads the sink's file once and gives each window's hops. A trace counts when it has all its spans (the
     * response, the publish, the receive, the processing and an attempt); a referral's first event (its creation
     * publishes nothing) and the registry's copy of each event are not part of a webhook's way.
     */
    static List<RateHops> read(Path traces, List<Window> windows) throws IOException {
        Map<String, Way> ways = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(traces)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode span;
                try {
                    span = JSON.readTree(line);
                } catch (IOException malformed) {
                    continue; // a line cut short when the sink stopped
                }
                add(ways, span);
            }
        }
        List<RateHops> result = new ArrayList<>();
        for (Window w : windows) {
            Map<Hop, Histogram> histograms = new LinkedHashMap<>();
            for (Hop h : Hop.values()) {
                histograms.put(h, new Histogram(3_600_000_000L, 3));
            }
            long count = 0;
            for (Way way : ways.values()) {
                if (!way.complete() || !w.holds(way.responseStart)) {
                    continue;
                }
                count++;
                long[] nanos = way.hops();
                for (Hop h : Hop.values()) {
                    // a hop between two processes can read a few microseconds below zero: their clocks are read apart
                    histograms.get(h).recordValue(Math.max(0, nanos[h.ordinal()] / 1000));
                }
            }
            result.add(new RateHops(w.label, histograms, count));
        }
        return result;
    }

    private static void add(Map<String, Way> ways, JsonNode span) {
        String service = span.path("service").asText();
        String kind = span.path("kind").asText();
        String name = span.path("name").asText();
        long start = span.path("startNanos").asLong();
        long end = span.path("endNanos").asLong();
        String trace = span.path("traceId").asText();
        if (trace.isEmpty()) {
            return;
        }
        if (service.equals("referral-service") && kind.equals("SERVER") && name.startsWith("POST /api/v1/referrals/")) {
            Way w = ways.computeIfAbsent(trace, t -> new Way());
            w.responseStart = start;
            w.responseEnd = end;
        } else if (service.equals("referral-service") && kind.equals("PRODUCER") && name.endsWith("referrals.v1")) {
            Way w = ways.computeIfAbsent(trace, t -> new Way());
            w.publishStart = start;
            w.publishEnd = end;
        } else if (service.equals("notification-service") && kind.equals("CONSUMER")) {
            if (name.endsWith("referrals.v1 receive")) {
                ways.computeIfAbsent(trace, t -> new Way()).received = start;
            } else if (name.endsWith("referrals.v1 process")) {
                Way w = ways.computeIfAbsent(trace, t -> new Way());
                w.processStart = start;
                w.processEnd = end;
            }
        } else if (service.equals("notification-service") && name.equals("webhook attempt")) {
            Way w = ways.computeIfAbsent(trace, t -> new Way());
            if (start < w.firstAttemptStart) {
                w.firstAttemptStart = start;
                w.firstAttemptEnd = end;
            }
            w.lastAttemptEnd = Math.max(w.lastAttemptEnd, end);
        }
    }

    /** The report's section: p50 and p99 of each hop at each rate, and the hop with the largest p99 at each. */
    static String markdown(List<RateHops> rates) {
        StringBuilder md = new StringBuilder("## Where a webhook's time goes, hop by hop\n\n");
        md.append("From the spans of the local stack's trace sink (`logs/traces.jsonl`): for each transition whose"
                + " response span began while the rate was offered, the time between the spans of its trace."
                + " Milliseconds, p50 / p99; for a transition whose first attempt was answered the hops add up to"
                + " its whole way (a retried webhook's ends at its last attempt), at each transition, not at each"
                + " percentile.\n\n");
        md.append("| hop | what it is |");
        rates.forEach(r -> md.append(" ").append(r.label()).append(" |"));
        md.append("\n|---|---|");
        rates.forEach(r -> md.append("---|"));
        md.append('\n');
        for (Hop h : Hop.values()) {
            md.append("| ").append(h.label).append(" | ").append(h.meaning).append(" |");
            for (RateHops r : rates) {
                Histogram hist = r.histograms().get(h);
                md.append(
                        r.traces() == 0
                                ? " – |"
                                : String.format(
                                        Locale.ROOT,
                                        " %s / %s |",
                                        Report.ms(hist.getValueAtPercentile(50)),
                                        Report.ms(hist.getValueAtPercentile(99))));
            }
            md.append('\n');
        }
        md.append("| traces | transitions with every span |");
        rates.forEach(r -> md.append(String.format(Locale.ROOT, " %,d |", r.traces())));
        md.append("\n\n");
        for (RateHops r : rates) {
            if (r.traces() == 0) {
                continue;
            }
            Hop worst = Hop.PICKUP;
            for (Hop h : Hop.values()) {
                if (h != Hop.TOTAL
                        && r.histograms().get(h).getValueAtPercentile(99)
                                > r.histograms().get(worst).getValueAtPercentile(99)) {
                    worst = h;
                }
            }
            md.append(String.format(
                    Locale.ROOT,
                    "- %s: the largest p99 is %s's, %s ms of the whole way's %s ms.\n",
                    r.label(),
                    worst.label,
                    Report.ms(r.histograms().get(worst).getValueAtPercentile(99)),
                    Report.ms(r.histograms().get(Hop.TOTAL).getValueAtPercentile(99))));
        }
        return md.append('\n').toString();
    }
}
