package org.tandem.web;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** The module serves the built bundle, its configuration, and a Content-Security-Policy. */
@QuarkusTest
class WebAppTest {

    @Test
    void serves_the_bundle_with_a_restrictive_content_security_policy() {
        given().when()
                .get("/")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("<div id=\"root\"></div>"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("connect-src 'self' http://localhost:18180"))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                .header("Cache-Control", equalTo("no-cache"));
    }

    @Test
    void tells_the_browser_where_keycloak_and_the_services_are() {
        given().when()
                .get("/config.json")
                .then()
                .statusCode(200)
                .body("oidcUrl", equalTo("http://localhost:18180/realms/tandem"))
                .body("clientId", equalTo("tandem-web"))
                .body("referralUrl", equalTo("http://localhost:18102"));
    }

    @Test
    void is_ready_for_the_dev_stack() {
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
