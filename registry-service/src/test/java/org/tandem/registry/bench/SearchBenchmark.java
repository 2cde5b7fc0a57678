package org.tandem.registry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.HdrHistogram.Histogram;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.tandem.registry.domain.ServiceCode;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Directory search latency on 10,000 approved organisations, end to end through HTTP (token check, SQL,
 * JSON), single client, measured with HdrHistogram. Not part of verify: run it with
 * {@code ./tandem mvn -B verify -Pbench -pl registry-service -am -Dtest=SearchBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}.
 * The seeded rows are removed at the end. Results go to the console and to target/search-benchmark.txt.
 */
@QuarkusTest
@TestProfile(SearchBenchmark.NoRateLimit.class)
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "registry"))
class SearchBenchmark {

    static final int ORGANISATIONS = 10_000;
    static final int WARMUP = 1_000;
    static final int MEASURED = 10_000;
    static final String SEED_TAG = "benchmark-seed";

    public static class NoRateLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tandem.rate-limit.burst", "100000000", "tandem.rate-limit.per-second", "100000000");
        }
    }

    static final String[] COUNTRIES = {"DE", "CY", "IT", "IE", "LV", "LT", "AT", "FR", "ES", "PT", "GR", "NL", "BE", "PL", "RO",
            "BG", "HR", "SI", "SE", "FI", "DK", "CZ", "SK", "HU", "EE", "LU", "MT", "NO", "CH", "GB"};
    static final String[] LANGUAGES = {"eng", "deu", "fra", "ita", "spa", "por", "ell", "pcm", "bin", "yor", "igb", "ron", "bul",
            "rus", "ukr", "ara", "tir", "amh", "som", "vie", "zho", "tha", "sqi", "tur"};
    static final String[] WORDS = {"shelter", "women", "centre", "support", "counselling", "legal", "clinic", "mothers", "children",
            "refuge", "network", "association", "house", "safe", "migrant", "outreach", "integration", "employment",
            "language", "health", "peer", "mediation", "return", "trafficking", "survivors", "advice", "housing"};

    @Inject
    EntityManager em;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void search_latency_percentiles_on_ten_thousand_organisations() throws Exception {
        seed();
        try {
            String token = KeycloakRealm.get().createOrganisation("CY").caseworkerToken();
            HttpClient http = HttpClient.newHttpClient();
            Random random = new Random(20261126L);
            List<String> queries = new ArrayList<>();
            for (int i = 0; i < WARMUP + MEASURED; i++) {
                queries.add(query(random));
            }
            Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            long matched = 0;
            for (int i = 0; i < queries.size(); i++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/organisations?" + queries.get(i)))
                        .header("Authorization", "Bearer " + token).GET().build();
                long start = System.nanoTime();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                long took = System.nanoTime() - start;
                assertThat(response.statusCode()).as(queries.get(i)).isEqualTo(200);
                if (i >= WARMUP) {
                    histogram.recordValue(took);
                    if (!response.body().startsWith("{\"items\":[]")) {
                        matched++;
                    }
                }
            }
            String report = "Directory search, %d approved organisations, %d measured requests (%d warm-up), %d with results%n"
                    .formatted(ORGANISATIONS, MEASURED, WARMUP, matched)
                    + "p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n".formatted(
                            ms(histogram.getValueAtPercentile(50)), ms(histogram.getValueAtPercentile(90)),
                            ms(histogram.getValueAtPercentile(99)), ms(histogram.getValueAtPercentile(99.9)),
                            ms(histogram.getMaxValue()));
            System.out.println(report);
            Path out = Path.of("target", "search-benchmark.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
        } finally {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "delete from organisation where description like '%" + SEED_TAG + "%'").executeUpdate());
        }
    }

    /** One query of a realistic mix: the filters a caseworker combines, free text, and second pages. */
    static String query(Random r) {
        List<String> p = new ArrayList<>();
        switch (r.nextInt(6)) {
            case 0 -> p.add("country=" + pick(r, COUNTRIES));
            case 1 -> {
                p.add("country=" + pick(r, COUNTRIES));
                p.add("service=" + ServiceCode.SAFE_ACCOMMODATION);
                p.add("service=" + pick(r, ServiceCode.values()));
                p.add("language=" + pick(r, LANGUAGES));
                p.add("hasCapacity=true");
            }
            case 2 -> {
                p.add("q=" + enc(pick(r, WORDS) + " " + pick(r, WORDS)));
                if (r.nextBoolean()) {
                    p.add("country=" + pick(r, COUNTRIES));
                }
            }
            case 3 -> p.add("hasCapacity=true");
            case 4 -> {
                p.add("country=" + pick(r, COUNTRIES));
                p.add("womenOnly=true");
                p.add("withChildren=true");
                p.add("age=" + (16 + r.nextInt(40)));
            }
            default -> {
                p.add("q=" + enc(pick(r, WORDS)));
                p.add("service=" + pick(r, ServiceCode.values()));
                p.add("language=" + pick(r, LANGUAGES));
            }
        }
        p.add("limit=" + (r.nextBoolean() ? 20 : 100));
        return String.join("&", p);
    }

    /** Inserts the organisations in one statement, with PostgreSQL's seeded random numbers. */
    void seed() {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("select setseed(0.42)").getSingleResult();
            String countries = "(array['" + String.join("','", COUNTRIES) + "'])";
            String languages = "(array['" + String.join("','", LANGUAGES) + "'])";
            String words = "(array['" + String.join("','", WORDS) + "'])";
            String services = "(array['" + String.join("','", java.util.Arrays.stream(ServiceCode.values()).map(Enum::name).toList()) + "'])";
            em.createNativeQuery("""
                    insert into organisation (id, name, description, country, region, services, languages, women_only,
                        accepts_minors, min_age, max_age, accepts_women_with_children, capacity_available, capacity_maximum,
                        capacity_unit, capacity_updated_at, contact_hours, membership_status, membership_since,
                        created_at, updated_at, version)
                    select gen_random_uuid(), name, description, c, c || '-' || lpad(cast(cast(1 + floor(random() * 12) as int) as text), 2, '0'),
                        array(select distinct s from unnest(%4$s) s where random() < 0.25 order by s),
                        array(select distinct l from unnest(%2$s) l where random() < 0.12),
                        random() < 0.8, minors, case when minors then 14 else 18 end, case when random() < 0.3 then 65 end,
                        random() < 0.6, cap, 20, 'BEDS', now() - random() * interval '90 days', '[]', 'APPROVED', now(), now(), now(), 0
                    from (select g,
                            %1$s[1 + cast(floor(random() * %5$d) as int)] as c,
                            initcap(%3$s[1 + cast(floor(random() * %6$d) as int)]) || ' ' || initcap(%3$s[1 + cast(floor(random() * %6$d) as int)]) || ' ' || g as name,
                            %3$s[1 + cast(floor(random() * %6$d) as int)] || ' ' || %3$s[1 + cast(floor(random() * %6$d) as int)] || ' '
                              || %3$s[1 + cast(floor(random() * %6$d) as int)] || ' %7$s' as description,
                            random() < 0.2 as minors,
                            case when random() < 0.5 then 0 else cast(floor(random() * 20) as int) end as cap
                          from generate_series(1, %8$d) g) seed
                    """.formatted(countries, languages, words, services, COUNTRIES.length, WORDS.length, SEED_TAG, ORGANISATIONS))
                    .executeUpdate();
            em.createNativeQuery("update organisation set services = array['LEGAL_ASSISTANCE'] where services = '{}'").executeUpdate();
            em.createNativeQuery("update organisation set languages = array['eng'] where languages = '{}'").executeUpdate();
            em.createNativeQuery("analyze organisation").executeUpdate();
        });
    }

    static <T> T pick(Random r, T[] values) {
        return values[r.nextInt(values.length)];
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
