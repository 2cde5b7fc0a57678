package org.tandem.referral.rest;

import java.time.Duration;
import java.time.Instant;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.referral.support.Network;
import org.tandem.referral.support.Referrals;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.tandem.referral.support.Referrals.draft;
import static org.tandem.referral.support.Referrals.referral;

/** The consent form as versioned, multilingual data, and the printable form in the survivor's language. */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class ConsentFormTest {

    static Network network;
    static TestOrganisation sender;
    static TestOrganisation receiver;

    @BeforeAll
    static void organisations() {
        network = Network.of("FR", "BE");
        sender = network.get(0);
        receiver = network.get(1);
    }

    @AfterAll
    static void close() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void the_forms_exist_in_english_and_in_languages_survivors_speak_with_unreviewed_translations_marked() {
        var list = given().auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .get("/api/v1/consent-forms")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(list.getList("findAll { it.current }.language", String.class))
                .contains("eng", "pcm", "ukr", "ron");
        assertThat(list.getList("findAll { it.language != 'eng' }.needsNativeReview", Boolean.class))
                .containsOnly(true);
        given().auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .get("/api/v1/consent-forms/2026-1/pcm")
                .then()
                .statusCode(200)
                .body("language", equalTo("pcm"))
                .body("purposes.CASE_TRANSFER", containsString("organisation"))
                .body("categories.size()", equalTo(8));
        given().auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .get("/api/v1/consent-forms/2026-1/xyz")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        String english = given().auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .get("/api/v1/consent-forms/2026-1/eng")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .toLowerCase(java.util.Locale.ROOT);
        assertThat(english).contains("police").doesNotContain("victim");
    }

    @Test
    void the_sender_prints_the_form_in_her_language_with_the_receiver_and_what_she_agreed_to() {
        String id = draft(sender, referral(receiver.id(), "URGENT", null));
        String html = given().auth()
                .oauth2(sender.caseworkerToken())
                .queryParam("language", "ukr")
                .when()
                .get("/api/v1/referrals/{id}/consent-form", id)
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .extract()
                .asString();
        assertThat(html)
                .contains("<html lang=\"uk\"")
                .contains("Згода")
                .contains(receiver.id().toString())
                .contains("BE")
                .contains(id)
                .doesNotContain("✓")
                .doesNotContain("&#10003;");

        // once consent is recorded, the form in its language ticks what it covers
        given().auth()
                .oauth2(sender.caseworkerToken())
                .contentType(ContentType.JSON)
                .body(org.tandem.referral.support.Referrals.consent(
                        receiver.id(), Instant.now().plus(Duration.ofDays(30))))
                .when()
                .put("/api/v1/referrals/{id}/consent", id)
                .then()
                .statusCode(200);
        String pidgin = given().auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .get("/api/v1/referrals/{id}/consent-form", id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(pidgin).contains("<html lang=\"pcm\"").contains("&#10003;");

        given().auth()
                .oauth2(receiver.caseworkerToken())
                .when()
                .get("/api/v1/referrals/{id}/consent-form", id)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(sender.caseworkerToken())
                .queryParam("language", "xyz")
                .when()
                .get("/api/v1/referrals/{id}/consent-form", id)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("language"));
        given().auth()
                .oauth2(sender.caseworkerToken())
                .queryParam("language", "english")
                .when()
                .get("/api/v1/referrals/{id}/consent-form", id)
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(sender.caseworkerToken())
                .when()
                .get("/api/v1/consent-forms/2026-1/ron/printable")
                .then()
                .statusCode(200)
                .body(containsString("Semnătura"))
                .header("X-Content-Type-Options", equalTo("nosniff"));
    }

    @Test
    void consent_must_name_a_form_that_exists() {
        String id = draft(sender, referral(receiver.id(), "ROUTINE", null)); // waits for the read model
        String unknownVersion = org.tandem.referral.support.Referrals.validConsent(receiver.id())
                .replace("\"2026-1\"", "\"1999-9\"");
        Referrals.create(sender.caseworkerToken(), referral(receiver.id(), "ROUTINE", unknownVersion))
                .statusCode(400)
                .body("errors[0].field", equalTo("consent.formVersion"));
        given().auth()
                .oauth2(sender.caseworkerToken())
                .contentType(ContentType.JSON)
                .body(unknownVersion.replace("\"pcm\"", "\"eng\""))
                .when()
                .put("/api/v1/referrals/{id}/consent", id)
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("consent.formVersion"));
    }
}
