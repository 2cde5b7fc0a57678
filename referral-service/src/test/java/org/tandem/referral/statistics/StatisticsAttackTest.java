package org.tandem.referral.statistics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import jakarta.inject.Inject;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.tandem.referral.support.AdjustableClock;
import org.tandem.referral.support.Coordination;
import org.tandem.referral.support.Network;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.tandem.referral.support.Referrals.consent;
import static org.tandem.referral.support.Referrals.draft;
import static org.tandem.referral.support.Referrals.post;
import static org.tandem.referral.support.Referrals.referral;

/**
 * The attacker, through the REST API on the real database: a year of referrals (each seed its own future year,
 * which no other test touches; the service's clock places them in their months) whose cells hold 1 to 4
 * referrals, then every period of the year asked for, and everything the answers publish, with what holds
 * between the tables, solved together by {@link Attacker}. No cell of 1 to 4 may be published, pinned, or
 * bounded under 4 (Tables#disclosed, docs/privacy.md). DisclosureControlAttackTest runs the same attack on many
 * more random years without the service, and shows that it beats the old suppression.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class StatisticsAttackTest {

    static final List<String> STATUSES = List.of(
            "SUBMITTED", "ACKNOWLEDGED", "ACCEPTED", "DECLINED", "IN_PROGRESS", "COMPLETED", "CANCELLED", "WITHDRAWN");
    static final List<String> URGENCIES = List.of("EMERGENCY", "URGENT", "ROUTINE");
    static final List<String> AGES = List.of("UNDER_1_DAY", "DAYS_1_TO_3", "DAYS_3_TO_7", "OVER_7_DAYS");
    static final List<String> STAGES = List.of(
            "IDENTIFICATION", "FIRST_ASSISTANCE", "LONG_TERM_ASSISTANCE", "RETURN_AND_REINTEGRATION", "PROCEEDINGS");
    static final List<String> LENGTHS = List.of("ONE", "TWO", "THREE", "FOUR_OR_MORE");
    static final int THRESHOLD = 5;

    static Network network;
    static KeycloakRealm realm;
    static List<String> countries;

    @Inject
    AdjustableClock clock;

    @BeforeAll
    static void organisations() {
        network = Network.of("MT", "CY", "EE");
        realm = network.realm;
        countries = List.of(
                        network.get(0).country(),
                        network.get(1).country(),
                        network.get(2).country())
                .stream()
                .sorted()
                .toList();
    }

    @AfterAll
    static void close() {
        if (network != null) {
            network.close();
        }
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2})
    void no_small_cell_can_be_worked_out_from_every_period_and_table_of_a_year(int seed) {
        int year = 2031 + seed;
        Tables truth = populate(year, seed);
        Map<String, Long> figures = new HashMap<>();
        for (int[] p : Tables.PERIODS) {
            read(year, p, figures);
        }
        Tables.Published published = (t, first, last, cell) -> figures.get(key(t, first, last, cell));
        for (Map.Entry<String, Long> e : figures.entrySet()) {
            String[] k = e.getKey().split("/");
            long expected = truth.truth(
                    Integer.parseInt(k[0]), Integer.parseInt(k[1]), Integer.parseInt(k[2]), Integer.parseInt(k[3]));
            assertThat(e.getValue())
                    .as("published %s is the true count", e.getKey())
                    .isEqualTo(expected);
        }
        for (int table : new int[] {Tables.URGENCY, Tables.STAGE, Tables.PATHWAY}) {
            assertThat(java.util.Arrays.stream(truth.counts[table]).flatMapToLong(java.util.Arrays::stream))
                    .as("the population has cells of 1 to 4 in table %d", table)
                    .containsAnyOf(1L, 2L, 3L, 4L);
        }
        assertThat(java.util.Arrays.stream(truth.counts[Tables.PATHWAY]).map(month -> month[1]))
                .as("some pathways have two referrals")
                .anyMatch(n -> n > 0);
        Attacker attacker = truth.attacker();
        truth.tell(attacker, published);
        assertThat(truth.disclosed(attacker, THRESHOLD, published)).isEmpty();
    }

    @Test
    void differencing_adjacent_periods_or_a_quarter_and_its_months_recovers_nothing() {
        int year = 2034;
        Tables truth = populate(year, 3);
        Map<String, Long> figures = new HashMap<>();
        for (int[] p : Tables.PERIODS) {
            read(year, p, figures);
        }
        int differences = 0;
        for (int t = 0; t < truth.tables(); t++) {
            for (int c = 0; c < truth.cells(t); c++) {
                // a quarter (or the year) is published only as the sum of published months (quarters): it adds nothing
                for (int q = 0; q < 4; q++) {
                    Long quarter = figures.get(key(t, q * 3 + 1, q * 3 + 3, c));
                    if (quarter != null) {
                        long months = 0;
                        for (int m = q * 3 + 1; m <= q * 3 + 3; m++) {
                            Long month = figures.get(key(t, m, m, c));
                            assertThat(month)
                                    .as("quarter %d published while month %d of cell %d/%d is not", q + 1, m, t, c)
                                    .isNotNull();
                            months += month;
                        }
                        assertThat(quarter).isEqualTo(months);
                        differences++;
                    }
                }
                Long whole = figures.get(key(t, 1, 12, c));
                if (whole != null) {
                    for (int q = 0; q < 4; q++) {
                        assertThat(figures.get(key(t, q * 3 + 1, q * 3 + 3, c)))
                                .as("year published, quarter %d not", q + 1)
                                .isNotNull();
                    }
                }
            }
        }
        assertThat(differences)
                .as("some quarters are published, so the check compared something")
                .isPositive();
        Attacker attacker = truth.attacker();
        Tables.Published published = (t, first, last, cell) -> figures.get(key(t, first, last, cell));
        truth.tell(attacker, published);
        assertThat(truth.disclosed(attacker, THRESHOLD, published)).isEmpty();

        // the old way in: two instants one referral apart
        for (String since : List.of(Instant.now().toString(), "2026-01-01T00:00:00Z")) {
            given().auth()
                    .oauth2(realm.coordinatorToken())
                    .queryParam("since", since)
                    .when()
                    .get("/api/v1/coordination/statistics")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("since"));
        }
        for (String period : List.of(
                "2034-11-15", "2034-13", "2034-Q5", "2034-W01", "34", "1999", "2034-q1", "2034-1", "x".repeat(50))) {
            Coordination.statistics(realm.coordinatorToken(), period)
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("period"));
        }
    }

    /** Referrals in every month of {@code year}: groups of identical ones, most 1 to 4 strong, some 5 to 8. */
    Tables populate(int year, long seed) {
        Random r = new Random(seed);
        Tables t = new Tables(countries.size());
        for (int month = 1; month <= 12; month++) {
            int groups = r.nextInt(6) == 0 ? 0 : 1 + r.nextInt(4);
            for (int g = 0; g < groups; g++) {
                int status = r.nextInt(3); // SUBMITTED, ACKNOWLEDGED, ACCEPTED
                int urgency = r.nextInt(3);
                int from = r.nextInt(3);
                int to = (from + 1 + r.nextInt(2)) % 3;
                int size = r.nextInt(4) < 3 ? 1 + r.nextInt(4) : 5 + r.nextInt(4);
                // never a return: it would need an assessment and her consent to return, which are not counted
                int stage = List.of(0, 1, 2, 4).get(r.nextInt(4));
                // an accepted referral may be referred onward, in the same month, to the third organisation
                boolean onward = status == 2 && r.nextInt(2) == 0;
                int onwardStage = r.nextBoolean() ? 2 : 4;
                for (int i = 0; i < size; i++) {
                    clock.reset();
                    Instant at = LocalDateTime.of(year, month, 10, 12, 0)
                            .toInstant(ZoneOffset.UTC)
                            .plus(Duration.ofMinutes(g * 10 + i));
                    clock.advance(Duration.between(clock.instant(), at));
                    TestOrganisation sender = network.get(from);
                    TestOrganisation receiver = network.get(to);
                    String id = draft(
                            sender,
                            referral(
                                            receiver.id(),
                                            URGENCIES.get(urgency),
                                            consent(receiver.id(), Instant.parse("2099-01-01T00:00:00Z")))
                                    .replace("\"FIRST_ASSISTANCE\"", "\"" + STAGES.get(stage) + "\""));
                    post(sender.caseworkerToken(), "submission", id).statusCode(200);
                    if (status >= 1) {
                        post(receiver.caseworkerToken(), "acknowledgement", id).statusCode(200);
                    }
                    if (status >= 2) {
                        post(receiver.caseworkerToken(), "acceptance", id).statusCode(200);
                    }
                    // asked for after the clock is back to today, a future change is less than a day old
                    t.add(
                            month,
                            status,
                            urgency,
                            0,
                            stage,
                            countries.indexOf(sender.country()),
                            countries.indexOf(receiver.country()));
                    if (onward) {
                        TestOrganisation next = network.get(3 - from - to);
                        String body = """
                                {"receiverOrganisationId":"%s","stage":"%s","consent":%s}""".formatted(
                                        next.id(),
                                        STAGES.get(onwardStage),
                                        consent(next.id(), Instant.parse("2099-01-01T00:00:00Z")));
                        String onwardId = post(receiver.caseworkerToken(), "onward-referral", id, body)
                                .statusCode(201)
                                .extract()
                                .path("id");
                        post(receiver.caseworkerToken(), "submission", onwardId).statusCode(200);
                        // the summary is carried over: the same urgency
                        t.add(
                                month,
                                0,
                                urgency,
                                0,
                                onwardStage,
                                countries.indexOf(receiver.country()),
                                countries.indexOf(next.country()));
                    }
                    t.addPathway(month, onward ? 2 : 1);
                }
            }
        }
        clock.reset();
        return t;
    }

    /** Reads one period and keeps every number it publishes, keyed by table/first/last/cell. */
    static void read(int year, int[] p, Map<String, Long> figures) {
        String period = p[0] == p[1]
                ? "%d-%02d".formatted(year, p[0])
                : p[1] - p[0] == 2 ? "%d-Q%d".formatted(year, p[1] / 3) : "" + year;
        JsonPath json = Coordination.statistics(realm.coordinatorToken(), period)
                .statusCode(200)
                .body("period", equalTo(period))
                .extract()
                .jsonPath();
        // the three status tables: status rows × urgency, age of the state, stage
        statusTable(json, "byStatusAndUrgency", "urgency", URGENCIES, Tables.URGENCY, p, figures);
        statusTable(json, "byStatusAndAge", "age", AGES, Tables.AGE, p, figures);
        statusTable(json, "byStatusAndStage", "stage", STAGES, Tables.STAGE, p, figures);
        assertThat(json.getList("pathwaysByLength")).hasSize(Tables.LENGTHS);
        for (Map<String, Object> c : json.<Map<String, Object>>getList("pathwaysByLength")) {
            assertThat(c.keySet())
                    .as("a pathway count, never a pathway id")
                    .isSubsetOf("referrals", "count", "suppressed");
            keep(figures, Tables.PATHWAY, p, LENGTHS.indexOf(c.get("referrals")), c);
        }
        List<Map<String, Object>> flows = json.getList("flows");
        assertThat(flows).hasSize(countries.size() * countries.size());
        for (Map<String, Object> c : flows) {
            keep(
                    figures,
                    Tables.FLOW,
                    p,
                    countries.indexOf(c.get("senderCountry")) * countries.size()
                            + countries.indexOf(c.get("receiverCountry")),
                    c);
        }
    }

    private static void statusTable(
            JsonPath json,
            String name,
            String column,
            List<String> columns,
            int table,
            int[] p,
            Map<String, Long> figures) {
        List<Map<String, Object>> cells = json.getList(name);
        assertThat(cells).as(name).hasSize(Tables.STATUSES * columns.size());
        for (Map<String, Object> c : cells) {
            keep(
                    figures,
                    table,
                    p,
                    STATUSES.indexOf(c.get("status")) * columns.size() + columns.indexOf(c.get(column)),
                    c);
        }
    }

    private static void keep(Map<String, Long> figures, int table, int[] p, int cell, Map<String, Object> c) {
        assertThat(cell).isNotNegative();
        if (Boolean.TRUE.equals(c.get("suppressed"))) {
            assertThat(c).doesNotContainKey("count");
            return;
        }
        long n = ((Number) c.get("count")).longValue();
        assertThat(n).as("a published count is 0 or at least the threshold").matches(v -> v == 0 || v >= THRESHOLD);
        figures.put(key(table, p[0], p[1], cell), n);
    }

    static String key(int table, int first, int last, int cell) {
        return table + "/" + first + "/" + last + "/" + cell;
    }
}
