package org.tandem.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What the registry search benchmark works on: 10,000 fictional approved organisations, seeded in one SQL
 * statement into registry-service's own table (so that the real search, its indexes and its full-text
 * vector see them exactly as organisations registered through the API), and the mix of searches a
 * caseworker sends. Pure: {@link SearchRun} executes it against a running stack.
 */
public final class SearchWorkload {

    public static final int ORGANISATIONS = 10_000;
    /** Every seeded description ends with this word, so the seeded rows can be told apart and removed. */
    public static final String SEED_TAG = "benchmark-seed";
    /** PostgreSQL's {@code setseed}: the same run seeds the same directory. */
    static final double SQL_SEED = 0.42;

    static final List<String> COUNTRIES = List.of(
            "DE", "CY", "IT", "IE", "LV", "LT", "AT", "FR", "ES", "PT", "GR", "NL", "BE", "PL", "RO", "BG", "HR", "SI",
            "SE", "FI", "DK", "CZ", "SK", "HU", "EE", "LU", "MT", "NO", "CH", "GB");
    static final List<String> LANGUAGES = List.of(
            "eng", "deu", "fra", "ita", "spa", "por", "ell", "pcm", "bin", "yor", "igb", "ron", "bul", "rus", "ukr",
            "ara", "tir", "amh", "som", "vie", "zho", "tha", "sqi", "tur");
    static final List<String> WORDS = List.of(
            "shelter",
            "women",
            "centre",
            "support",
            "counselling",
            "legal",
            "clinic",
            "mothers",
            "children",
            "refuge",
            "network",
            "association",
            "house",
            "safe",
            "migrant",
            "outreach",
            "integration",
            "employment",
            "language",
            "health",
            "peer",
            "mediation",
            "return",
            "trafficking",
            "survivors",
            "advice",
            "housing");
    /** The service codes, from the event schemas' enum (the one source; SearchWorkloadTest checks registry-service agrees). */
    static final List<String> SERVICES = java.util.Arrays.stream(org.tandem.events.common.ServiceCode.values())
            .map(Enum::name)
            .toList();
    /** Seeded regions are {@code <country>-01} to {@code <country>-12}. */
    static final int REGIONS = 12;

    /** The kinds of search in the mix, each as likely as the others. */
    public enum Kind {
        /** a country */
        COUNTRY,
        /** a country, two services, a language and free capacity: a caseworker placing a referral */
        PLACEMENT,
        /** one or two words of free text, sometimes with a country */
        TEXT,
        /** free capacity anywhere */
        CAPACITY,
        /** a region, women only, with children, an age */
        ELIGIBILITY,
        /** a word, a service and a language */
        TEXT_SERVICE_LANGUAGE,
        /** the next page of an earlier search, with the cursor it gave out */
        NEXT_PAGE
    }

    /** One search: its kind and its query string (without the leading {@code ?}). */
    public record Query(Kind kind, String params) {}

    private SearchWorkload() {}

    /** A first-page search of one of the kinds other than {@link Kind#NEXT_PAGE}. */
    static Query first(Random r) {
        List<String> p = new ArrayList<>();
        Kind kind = Kind.values()[r.nextInt(Kind.values().length - 1)];
        switch (kind) {
            case COUNTRY -> p.add("country=" + pick(r, COUNTRIES));
            case PLACEMENT -> {
                p.add("country=" + pick(r, COUNTRIES));
                p.add("service=SAFE_ACCOMMODATION");
                p.add("service=" + pick(r, SERVICES));
                p.add("language=" + pick(r, LANGUAGES));
                p.add("hasCapacity=true");
            }
            case TEXT -> {
                p.add("q=" + enc(pick(r, WORDS) + " " + pick(r, WORDS)));
                if (r.nextBoolean()) {
                    p.add("country=" + pick(r, COUNTRIES));
                }
            }
            case CAPACITY -> p.add("hasCapacity=true");
            case ELIGIBILITY -> {
                String country = pick(r, COUNTRIES);
                p.add("country=" + country);
                p.add("region=" + region(country, 1 + r.nextInt(REGIONS)));
                p.add("womenOnly=true");
                p.add("withChildren=true");
                p.add("age=" + (16 + r.nextInt(40)));
            }
            case TEXT_SERVICE_LANGUAGE -> {
                p.add("q=" + enc(pick(r, WORDS)));
                p.add("service=" + pick(r, SERVICES));
                p.add("language=" + pick(r, LANGUAGES));
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        p.add("limit=" + (r.nextBoolean() ? 20 : 100));
        return new Query(kind, String.join("&", p));
    }

    /**
     * Broad first pages (a country, page of 20) whose answers give the cursors for {@link Kind#NEXT_PAGE}:
     * with about 330 organisations per country, each has a next page.
     */
    static List<String> pagingStarts(long seed, int count) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add("country=" + pick(r, COUNTRIES) + (r.nextBoolean() ? "&hasCapacity=true" : "") + "&limit=20");
        }
        return out;
    }

    /** The first page's query with its cursor: the query of the next page. */
    static String nextPage(String firstPage, String cursor) {
        return firstPage + "&cursor=" + enc(cursor);
    }

    /**
     * {@code count} searches from a seeded generator: the six first-page kinds and, when {@code nextPages} is
     * not empty, next pages, each kind about one seventh of the mix.
     */
    public static List<Query> mix(long seed, int count, List<String> nextPages) {
        Random r = new Random(seed);
        List<Query> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (!nextPages.isEmpty() && r.nextInt(Kind.values().length) == 0) {
                out.add(new Query(Kind.NEXT_PAGE, pick(r, nextPages)));
            } else {
                out.add(first(r));
            }
        }
        return out;
    }

    static String region(String country, int n) {
        return country + "-" + (n < 10 ? "0" : "") + n;
    }

    static String array(List<String> values) {
        return "array['" + String.join("','", values) + "']";
    }

    /**
     * Inserts {@code count} approved organisations into registry-service's {@code organisation} table in one
     * statement, with PostgreSQL's seeded random numbers: a fictional name and description of directory words
     * (the description ends with {@link #SEED_TAG}), a country and one of its regions, a quarter of the
     * services (at least one), an eighth of the languages (at least one), eligibility, capacity with an update
     * time in the last 90 days. Every value is one the API accepts and returns.
     */
    static List<String> seedStatements(int count) {
        String words = "(" + array(WORDS) + ")";
        String word = words + "[1 + cast(floor(random() * " + WORDS.size() + ") as int)]";
        String insert = """
                insert into organisation (id, name, description, country, region, services, languages, women_only,
                    accepts_minors, min_age, max_age, accepts_women_with_children, capacity_available, capacity_maximum,
                    capacity_unit, capacity_updated_at, contact_hours, membership_status, membership_since,
                    created_at, updated_at, version)
                select gen_random_uuid(), name, description, c,
                    c || '-' || lpad(cast(cast(1 + floor(random() * %5$d) as int) as text), 2, '0'),
                    array(select s from unnest(%4$s) s where random() < 0.25 order by s),
                    array(select l from unnest(%2$s) l where random() < 0.12 order by l),
                    random() < 0.8, minors, case when minors then 14 else 18 end, case when random() < 0.3 then 65 end,
                    random() < 0.6, cap, 20, 'BEDS', now() - random() * interval '90 days', '[]', 'APPROVED', now(),
                    now(), now(), 0
                from (select g,
                        (%1$s)[1 + cast(floor(random() * %6$d) as int)] as c,
                        initcap(%3$s) || ' ' || initcap(%3$s) || ' ' || g as name,
                        %3$s || ' ' || %3$s || ' ' || %3$s || ' %7$s' as description,
                        random() < 0.2 as minors,
                        case when random() < 0.5 then 0 else cast(floor(random() * 20) as int) end as cap
                      from generate_series(1, %8$d) g) seed
                """.formatted(
                array(COUNTRIES), array(LANGUAGES), word, array(SERVICES), REGIONS, COUNTRIES.size(), SEED_TAG, count);
        return List.of(
                "select setseed(" + SQL_SEED + ")",
                insert,
                "update organisation set services = array['LEGAL_ASSISTANCE'] where services = '{}'",
                "update organisation set languages = array['eng'] where languages = '{}'",
                "analyze organisation");
    }

    /** Removes what {@link #seedStatements(int)} inserted. */
    static String unseedStatement() {
        return "delete from organisation where description like '% " + SEED_TAG + "'";
    }

    static <T> T pick(Random r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
