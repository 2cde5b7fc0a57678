package org.tandem.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.HdrHistogram.Histogram;

import org.tandem.devstack.Endpoints;

/**
 * The registry search phase of {@code ./tandem bench}: seeds {@link SearchWorkload#ORGANISATIONS} fictional
 * organisations into the stack's registry-service, checks through the API that the directory finds them,
 * then offers the {@link SearchWorkload#mix search mix} to the real HTTP endpoint open loop at each rate:
 * search <i>i</i> is sent at <i>start + i/rate</i> whatever happened to the ones before, and its latency runs
 * from that intended send time to the whole answer read (no coordinated omission).
 */
public final class SearchRun {

    /**
     * One offered rate. Latencies in microseconds; {@code byKind} splits the same requests by kind of search;
     * {@code coresUsed} is each process's CPU while the rate was offered, in cores.
     */
    public record Result(
            int offeredRate,
            int seconds,
            int requests,
            Histogram latency,
            Map<SearchWorkload.Kind, Histogram> byKind,
            int errors,
            int empty,
            double achievedRate,
            Map<String, Double> coresUsed) {}

    static final long MIX_SEED = 20261126L;
    static final int PAGING_STARTS = 200;

    private final HttpClient http;
    private final String searchUrl;
    private final Endpoints endpoints;

    private final Map<String, Long> pids;

    public SearchRun(Endpoints endpoints, Map<String, Long> pids) {
        this.endpoints = endpoints;
        this.pids = pids;
        this.searchUrl = endpoints.serviceUrl("registry") + "/api/v1/organisations";
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Inserts the organisations in registry-service's schema, as its own database role. */
    public void seed() throws Exception {
        try (Connection con = DriverManager.getConnection(
                        endpoints.jdbcUrl(), endpoints.dbUser("registry"), endpoints.dbPassword("registry"));
                Statement s = con.createStatement()) {
            s.execute("set search_path to " + endpoints.dbSchema("registry"));
            con.setAutoCommit(false);
            for (String sql : SearchWorkload.seedStatements(SearchWorkload.ORGANISATIONS)) {
                if (sql.startsWith("analyze")) {
                    con.commit();
                    con.setAutoCommit(true);
                }
                s.execute(sql);
            }
        }
    }

    /** Removes the seeded organisations again (a stack kept with {@code --keep} stays as it was). */
    public void unseed() throws Exception {
        try (Connection con = DriverManager.getConnection(
                        endpoints.jdbcUrl(), endpoints.dbUser("registry"), endpoints.dbPassword("registry"));
                Statement s = con.createStatement()) {
            s.execute("set search_path to " + endpoints.dbSchema("registry"));
            s.execute(SearchWorkload.unseedStatement());
        }
    }

    /**
     * Pages through the whole directory with the API (100 a page, by cursor) and counts the seeded
     * organisations it returns: the seeding is only good if the real search finds every one.
     */
    public int countSeededThroughApi(String token) throws Exception {
        int seeded = 0;
        String cursor = null;
        int pages = 0;
        do {
            String q = "limit=100" + (cursor == null ? "" : "&cursor=" + SearchWorkload.enc(cursor));
            HttpResponse<String> r = get(q, token);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("directory search answered " + r.statusCode() + ": " + r.body());
            }
            var page = TandemApi.JSON.readTree(r.body());
            for (var item : page.get("items")) {
                if (item.path("description").asText().endsWith(" " + SearchWorkload.SEED_TAG)) {
                    seeded++;
                }
            }
            cursor =
                    page.path("nextCursor").isTextual() ? page.get("nextCursor").asText() : null;
        } while (cursor != null && ++pages < 1000);
        return seeded;
    }

    /** The next-page queries: each paging start's first page, asked once, with the cursor it gave out. */
    public List<String> nextPages(String token) throws Exception {
        List<String> out = new ArrayList<>();
        for (String first : SearchWorkload.pagingStarts(MIX_SEED, PAGING_STARTS)) {
            HttpResponse<String> r = get(first, token);
            var next = TandemApi.JSON.readTree(r.body()).path("nextCursor");
            if (r.statusCode() == 200 && next.isTextual()) {
                out.add(SearchWorkload.nextPage(first, next.asText()));
            }
        }
        return out;
    }

    HttpResponse<String> get(String query, String token) throws Exception {
        return http.send(request(query, token), HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest request(String query, String token) {
        return HttpRequest.newBuilder(URI.create(searchUrl + "?" + query))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
    }

    /** Offers {@code rate} searches per second for {@code seconds}, open loop; {@code seed} picks the mix. */
    public Result run(int rate, int seconds, String token, List<String> nextPages, long seed) throws Exception {
        List<SearchWorkload.Query> plan = SearchWorkload.mix(seed, rate * seconds, nextPages);
        Histogram latency = new Histogram(3_600_000_000L, 3);
        Map<SearchWorkload.Kind, Histogram> byKind = new EnumMap<>(SearchWorkload.Kind.class);
        for (SearchWorkload.Kind k : SearchWorkload.Kind.values()) {
            byKind.put(k, new Histogram(3_600_000_000L, 3));
        }
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger empty = new AtomicInteger();
        List<CompletableFuture<?>> inFlight = new ArrayList<>(plan.size());
        Map<String, Double> cpuBefore = ProcessStats.cpu(pids);
        long period = 1_000_000_000L / rate;
        long start = System.nanoTime() + 100_000_000L;
        for (int i = 0; i < plan.size(); i++) {
            long intended = start + i * period;
            OpenLoop.sleepUntil(intended);
            SearchWorkload.Query q = plan.get(i);
            inFlight.add(http.sendAsync(request(q.params(), token), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, err) -> {
                        long micros = Math.max(0, (System.nanoTime() - intended) / 1000);
                        synchronized (latency) {
                            latency.recordValue(micros);
                            byKind.get(q.kind()).recordValue(micros);
                        }
                        if (err != null || r.statusCode() != 200) {
                            errors.incrementAndGet();
                        } else if (r.body().startsWith("{\"items\":[]")) {
                            empty.incrementAndGet();
                        }
                    }));
        }
        long sendEnd = System.nanoTime();
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
                .exceptionally(e -> null)
                .get(120, TimeUnit.SECONDS);
        double achieved = plan.size() / Math.max(1e-9, (sendEnd - start) / 1e9);
        Map<String, Double> cores =
                ProcessStats.coresUsed(cpuBefore, ProcessStats.cpu(pids), (System.nanoTime() - start) / 1e9);
        return new Result(rate, seconds, plan.size(), latency, byKind, errors.get(), empty.get(), achieved, cores);
    }
}
