package org.tandem.bench;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.tandem.platform.codes.IsoCodes;
import org.tandem.registry.domain.ServiceCode;

import static org.assertj.core.api.Assertions.assertThat;

/** The search benchmark's seed and query mix ask only what the real API accepts, and in the intended mix. */
class SearchWorkloadTest {

    static final List<String> PARAMETERS = List.of(
            "country",
            "region",
            "service",
            "language",
            "womenOnly",
            "acceptsMinors",
            "withChildren",
            "age",
            "hasCapacity",
            "q",
            "cursor",
            "limit");

    @Test
    void the_service_codes_are_registry_services_taxonomy() {
        assertThat(SearchWorkload.SERVICES)
                .containsExactlyElementsOf(
                        Arrays.stream(ServiceCode.values()).map(Enum::name).toList());
    }

    @Test
    void countries_regions_and_languages_are_valid_iso_codes() {
        assertThat(SearchWorkload.COUNTRIES).allMatch(IsoCodes::isCountry).doesNotHaveDuplicates();
        assertThat(SearchWorkload.LANGUAGES)
                .allMatch(IsoCodes::isLanguage)
                .doesNotHaveDuplicates()
                .contains("pcm", "bin");
        for (String c : SearchWorkload.COUNTRIES) {
            for (int n = 1; n <= SearchWorkload.REGIONS; n++) {
                assertThat(IsoCodes.isRegionOf(SearchWorkload.region(c, n), c))
                        .as(c + " " + n)
                        .isTrue();
            }
        }
    }

    @Test
    void the_mix_is_reproducible_from_its_seed() {
        List<String> pages = List.of("country=DE&limit=20&cursor=abc");
        assertThat(SearchWorkload.mix(7, 500, pages)).isEqualTo(SearchWorkload.mix(7, 500, pages));
        assertThat(SearchWorkload.mix(7, 500, pages)).isNotEqualTo(SearchWorkload.mix(8, 500, pages));
    }

    @Test
    void every_kind_takes_about_a_seventh_of_the_mix() {
        List<SearchWorkload.Query> mix = SearchWorkload.mix(42, 7_000, List.of("country=DE&limit=20&cursor=abc"));
        Map<SearchWorkload.Kind, Integer> counts = new EnumMap<>(SearchWorkload.Kind.class);
        mix.forEach(q -> counts.merge(q.kind(), 1, Integer::sum));
        assertThat(counts).containsOnlyKeys(SearchWorkload.Kind.values());
        assertThat(counts.values()).allMatch(n -> n > 800 && n < 1_200);
    }

    @Test
    void without_cursors_there_are_no_next_pages() {
        assertThat(SearchWorkload.mix(42, 2_000, List.of())).noneMatch(q -> q.kind() == SearchWorkload.Kind.NEXT_PAGE);
    }

    @Test
    void every_search_asks_only_what_the_api_accepts() {
        List<String> starts = SearchWorkload.pagingStarts(3, 50);
        List<String> pages = new ArrayList<>();
        for (String s : starts) {
            pages.add(SearchWorkload.nextPage(s, "MC41fDE3NjQxMjM0NTY3ODkwMDB8YWJj+/="));
        }
        for (SearchWorkload.Query q : SearchWorkload.mix(11, 5_000, pages)) {
            Map<String, List<String>> p = parse(q.params());
            assertThat(PARAMETERS).as(q.params()).containsAll(p.keySet());
            assertThat(p.get("limit")).as(q.params()).hasSize(1).first().isIn("20", "100");
            p.getOrDefault("country", List.of())
                    .forEach(c ->
                            assertThat(IsoCodes.isCountry(c)).as(q.params()).isTrue());
            p.getOrDefault("language", List.of())
                    .forEach(l ->
                            assertThat(IsoCodes.isLanguage(l)).as(q.params()).isTrue());
            p.getOrDefault("service", List.of())
                    .forEach(s -> assertThat(SearchWorkload.SERVICES).contains(s));
            p.getOrDefault("region", List.of())
                    .forEach(r -> assertThat(
                                    IsoCodes.isRegionOf(r, p.get("country").get(0)))
                            .as(q.params())
                            .isTrue());
            p.getOrDefault("age", List.of())
                    .forEach(a -> assertThat(Integer.parseInt(a)).isBetween(0, 120));
            p.getOrDefault("q", List.of())
                    .forEach(t -> assertThat(t).isNotBlank().hasSizeLessThanOrEqualTo(200));
            assertThat(p.containsKey("cursor")).as(q.params()).isEqualTo(q.kind() == SearchWorkload.Kind.NEXT_PAGE);
            p.values().forEach(v -> assertThat(v).allMatch(x -> !x.isEmpty()));
        }
    }

    @Test
    void a_next_page_carries_the_cursor_intact() {
        String cursor = "MC41fDE3NjQxMjM0NTY3ODkwMDB8YWJj+/=";
        Map<String, List<String>> p = parse(SearchWorkload.nextPage("country=DE&limit=20", cursor));
        assertThat(p.get("cursor")).containsExactly(cursor);
        assertThat(p.get("country")).containsExactly("DE");
    }

    @Test
    void the_seed_fills_every_column_of_the_organisation_table_with_tagged_approved_rows() throws Exception {
        List<String> statements = SearchWorkload.seedStatements(10_000);
        String insert = statements.stream()
                .filter(s -> s.strip().startsWith("insert"))
                .findFirst()
                .orElseThrow();
        String columns = insert.substring(insert.indexOf('(') + 1, insert.indexOf(')'));
        List<String> inserted =
                Arrays.stream(columns.split(",")).map(String::strip).toList();
        String ddl =
                Files.readString(Path.of("../registry-service/src/main/resources/db/migration/V1__organisations.sql"));
        String table = ddl.substring(
                ddl.indexOf("create table organisation ("),
                ddl.indexOf(");", ddl.indexOf("create table organisation (")));
        List<String> declared = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s{4}([a-z_]+)\\s").matcher(table);
        while (m.find()) {
            declared.add(m.group(1));
        }
        declared.remove("search_vector"); // generated from name and description
        assertThat(declared).hasSizeGreaterThan(20);
        assertThat(inserted).containsExactlyInAnyOrderElementsOf(declared);
        assertThat(insert).contains("generate_series(1, 10000)", "'APPROVED'", " " + SearchWorkload.SEED_TAG + "'");
        SearchWorkload.SERVICES.forEach(s -> assertThat(insert).contains("'" + s + "'"));
        assertThat(statements.get(0)).startsWith("select setseed(");
        assertThat(statements.get(statements.size() - 1)).isEqualTo("analyze organisation");
        assertThat(SearchWorkload.unseedStatement()).endsWith("like '% " + SearchWorkload.SEED_TAG + "'");
    }

    @Test
    void the_generator_never_repeats_one_query_for_the_whole_run() {
        List<SearchWorkload.Query> mix = SearchWorkload.mix(5, 1_000, List.of());
        assertThat(mix.stream().map(SearchWorkload.Query::params).distinct().count())
                .isGreaterThan(500);
        assertThat(SearchWorkload.first(new Random(1))).isEqualTo(SearchWorkload.first(new Random(1)));
    }

    static Map<String, List<String>> parse(String query) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            assertThat(eq).as(pair).isPositive();
            out.computeIfAbsent(pair.substring(0, eq), k -> new ArrayList<>())
                    .add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
