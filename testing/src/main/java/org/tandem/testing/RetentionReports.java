package org.tandem.testing;

import io.restassured.path.json.JsonPath;

import static io.restassured.RestAssured.given;

/** Reads a service's retention report ({@code GET /api/v1/retention/report}, docs/retention.md) in tests. */
public final class RetentionReports {

    public static final String PATH = "/api/v1/retention/report";

    private RetentionReports() {}

    /** The report as {@code token}'s holder sees it; fails unless the answer is 200. */
    public static JsonPath report(String token) {
        return given().auth()
                .oauth2(token)
                .when()
                .get(PATH)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The path of {@code field} in the row of {@code kind} (its report name, e.g. {@code read-models}). */
    public static String row(String kind, String field) {
        return "kinds.find { it.kind == '" + kind + "' }." + field;
    }

    /** How many records of {@code kind} are past their period, as {@code token}'s holder sees them. */
    public static long pastPeriod(String token, String kind) {
        return report(token).getLong(row(kind, "pastPeriod"));
    }

    /** The start of the period of the oldest record of {@code kind} still held, or null. */
    public static String oldest(String token, String kind) {
        return report(token).getString(row(kind, "oldest"));
    }
}
