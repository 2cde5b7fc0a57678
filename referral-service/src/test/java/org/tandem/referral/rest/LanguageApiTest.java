package org.tandem.referral.rest;

import java.util.List;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.referral.support.Network;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The language list behind the web application's picker: search by name or code, bounded, problems for bad input. */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class LanguageApiTest {

    static Network network;
    static TestOrganisation org;

    @BeforeAll
    static void organisations() {
        network = Network.of("DE");
        org = network.get(0);
    }

    @AfterAll
    static void close() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void a_caseworker_finds_nigerian_pidgin_by_its_name_and_by_its_code() {
        var byName = given().auth()
                .oauth2(org.caseworkerToken())
                .queryParam("q", "nigerian pid")
                .when()
                .get("/api/v1/languages")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(byName.getList("code", String.class)).containsExactly("pcm");
        assertThat(byName.getString("[0].name")).isEqualTo("Nigerian Pidgin");

        // the exact code comes first, before names that merely contain the letters
        given().auth()
                .oauth2(org.caseworkerToken())
                .queryParam("q", "PCM")
                .when()
                .get("/api/v1/languages")
                .then()
                .statusCode(200)
                .body("[0].code", equalTo("pcm"))
                .body("[0].name", equalTo("Nigerian Pidgin"));
    }

    @Test
    void names_that_begin_with_the_text_come_before_names_that_contain_it_and_the_list_is_bounded() {
        List<String> names = given().auth()
                .oauth2(org.caseworkerToken())
                .queryParam("q", "pidgin")
                .queryParam("limit", 50)
                .when()
                .get("/api/v1/languages")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("name", String.class);
        assertThat(names).contains("Nigerian Pidgin");
        int firstContaining = names.indexOf(names.stream()
                .filter(n -> !n.toLowerCase().startsWith("pidgin"))
                .findFirst()
                .orElseThrow());
        assertThat(names.subList(0, firstContaining))
                .isNotEmpty()
                .allMatch(n -> n.toLowerCase().startsWith("pidgin"));
        assertThat(names.subList(firstContaining, names.size()))
                .noneMatch(n -> n.toLowerCase().startsWith("pidgin"));

        List<String> two = given().auth()
                .oauth2(org.caseworkerToken())
                .queryParam("q", "a")
                .queryParam("limit", 2)
                .when()
                .get("/api/v1/languages")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("code", String.class);
        assertThat(two).hasSize(2);
    }

    @Test
    void bad_input_gets_a_problem_naming_the_parameter_and_strangers_get_a_401() {
        given().auth()
                .oauth2(org.caseworkerToken())
                .when()
                .get("/api/v1/languages")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("q"));
        given().auth()
                .oauth2(org.caseworkerToken())
                .queryParam("q", "x".repeat(61))
                .when()
                .get("/api/v1/languages")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("q"));
        given().auth()
                .oauth2(org.caseworkerToken())
                .queryParam("q", "eng")
                .queryParam("limit", 51)
                .when()
                .get("/api/v1/languages")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("limit"));
        given().queryParam("q", "eng")
                .when()
                .get("/api/v1/languages")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }
}
