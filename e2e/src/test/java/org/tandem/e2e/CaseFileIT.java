package org.tandem.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.client.CaseFiles;
import org.tandem.client.DataCategory;
import org.tandem.client.DeletionReceipt;
import org.tandem.client.OrganisationKeys;
import org.tandem.testing.Fixtures;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.RunningServices;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The case-file protocol across the running services, with keys published in the real registry: the
 * sender encrypts to the key the registry lists, referral-service checks the kid through its read model,
 * the receiver verifies the sender's signature with the registry's keys, and the hub verifies the deletion
 * receipt by fetching the receiver's key from registry-service.
 */
class CaseFileIT {

    static final String JOSE = "application/jose";
    static RunningServices services;
    static KeycloakRealm realm;

    @BeforeAll
    static void start() {
        services = RunningServices.start();
        realm = KeycloakRealm.get();
        RestAssured.config = RestAssured.config()
                .encoderConfig(EncoderConfig.encoderConfig().encodeContentTypeAs(JOSE, ContentType.TEXT));
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
    }

    static OrganisationKeys publishKeys(TestOrganisation org) {
        OrganisationKeys keys = OrganisationKeys.generate();
        given().baseUri(services.registryUrl())
                .auth()
                .oauth2(org.adminToken())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "keys",
                        List.of(
                                keys.encryption().toPublicJWK().toJSONObject(),
                                keys.signature().toPublicJWK().toJSONObject())))
                .when()
                .post("/api/v1/organisations/{id}/keys", org.id())
                .then()
                .statusCode(201);
        return keys;
    }

    static JWKSet publishedKeys(TestOrganisation of, String token) throws Exception {
        return JWKSet.parse(given().baseUri(services.registryUrl())
                .auth()
                .oauth2(token)
                .when()
                .get("/api/v1/organisations/{id}/keys", of.id())
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    @Test
    void a_case_file_travels_encrypted_to_the_registrys_key_and_its_deletion_is_confirmed() throws Exception {
        TestOrganisation greece = realm.createOrganisation("GR");
        TestOrganisation ireland = realm.createOrganisation("IE");
        Members.join(services, realm, greece, "E2E Greece case files");
        Members.join(services, realm, ireland, "E2E Ireland case files");
        OrganisationKeys greeceKeys = publishKeys(greece);
        OrganisationKeys irelandKeys = publishKeys(ireland);

        String referral = Fixtures.referral(ireland.id().toString());
        String[] created = new String[1];
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    var r = given().baseUri(services.referralUrl())
                            .auth()
                            .oauth2(greece.caseworkerToken())
                            .contentType(ContentType.JSON)
                            .body(referral)
                            .when()
                            .post("/api/v1/referrals")
                            .then()
                            .extract();
                    created[0] = r.statusCode() == 201 ? r.jsonPath().getString("id") : null;
                    return created[0] != null;
                });
        UUID id = UUID.fromString(created[0]);
        given().baseUri(services.referralUrl())
                .auth()
                .oauth2(greece.caseworkerToken())
                .when()
                .post("/api/v1/referrals/{id}/submission", id)
                .then()
                .statusCode(200);

        // the sender encrypts to the receiver's current key as the registry lists it
        var to = OrganisationKeys.current(publishedKeys(ireland, greece.caseworkerToken()), KeyUse.ENCRYPTION)
                .orElseThrow();
        assertThat(to.getKeyID()).isEqualTo(irelandKeys.encryption().getKeyID());
        byte[] content = "E2E fixture case notes".getBytes(StandardCharsets.UTF_8);
        String jwe = CaseFiles.seal(
                content,
                id,
                EnumSet.of(DataCategory.IDENTITY, DataCategory.CHILDREN),
                greece.id(),
                ireland.id(),
                greeceKeys.signature(),
                to);
        // referral-service learns of the key through the organisations topic
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> given().baseUri(services.referralUrl())
                                .auth()
                                .oauth2(greece.caseworkerToken())
                                .contentType(JOSE)
                                .body(jwe)
                                .when()
                                .post("/api/v1/referrals/{id}/case-file", id)
                                .then()
                                .extract()
                                .statusCode()
                        == 201);

        for (String step : List.of("acknowledgement", "acceptance")) {
            given().baseUri(services.referralUrl())
                    .auth()
                    .oauth2(ireland.caseworkerToken())
                    .when()
                    .post("/api/v1/referrals/{id}/" + step, id)
                    .then()
                    .statusCode(200);
        }
        String released = given().baseUri(services.referralUrl())
                .auth()
                .oauth2(ireland.integrationToken())
                .accept(JOSE)
                .when()
                .get("/api/v1/referrals/{id}/case-file", id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JWKSet greecePublished = publishedKeys(greece, ireland.integrationToken());
        CaseFiles.Opened opened = CaseFiles.open(
                released,
                irelandKeys.encryption(),
                kid -> OrganisationKeys.find(greecePublished, kid, KeyUse.SIGNATURE)
                        .orElse(null));
        assertThat(opened.content()).isEqualTo(content);
        assertThat(opened.sender()).isEqualTo(greece.id());

        given().baseUri(services.referralUrl())
                .auth()
                .oauth2(greece.caseworkerToken())
                .when()
                .post("/api/v1/referrals/{id}/withdrawal", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("WITHDRAWN"));
        given().baseUri(services.referralUrl())
                .auth()
                .oauth2(greece.caseworkerToken())
                .when()
                .get("/api/v1/referrals/{id}/case-file/status", id)
                .then()
                .statusCode(200)
                .body("shreddedAt", notNullValue())
                .body("deletionReceipt.status", equalTo("MISSING"));

        String receipt = DeletionReceipt.sign(ireland.id(), id, Instant.now(), irelandKeys.signature());
        given().baseUri(services.referralUrl())
                .auth()
                .oauth2(ireland.integrationToken())
                .contentType(JOSE)
                .body(receipt)
                .when()
                .post("/api/v1/referrals/{id}/case-file/deletion-receipt", id)
                .then()
                .statusCode(201);
        String seen = given().baseUri(services.referralUrl())
                .auth()
                .oauth2(greece.caseworkerToken())
                .when()
                .get("/api/v1/referrals/{id}/case-file/status", id)
                .then()
                .statusCode(200)
                .body("deletionReceipt.status", equalTo("RECEIVED"))
                .extract()
                .path("deletionReceipt.receipt");
        var irelandSignature = OrganisationKeys.find(
                        publishedKeys(ireland, greece.caseworkerToken()),
                        DeletionReceipt.parse(seen).kid(),
                        KeyUse.SIGNATURE)
                .orElseThrow();
        assertThat(DeletionReceipt.verify(seen, irelandSignature).referralId()).isEqualTo(id);
    }
}
