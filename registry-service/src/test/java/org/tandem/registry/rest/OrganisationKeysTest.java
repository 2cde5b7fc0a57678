package org.tandem.registry.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;
import org.tandem.events.registry.OrganisationKeyRotated;
import org.tandem.events.registry.PublicKeyRef;
import org.tandem.testing.EventTopicReader;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

/** Public keys: publication by the own org-admin, reading by members, rotation with overlap, refusals. */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "registry"))
class OrganisationKeysTest {

    static EventTopicReader events;
    static KeycloakRealm realm;

    @BeforeAll
    static void setUp() {
        events = new EventTopicReader(Topics.ORGANISATIONS);
        realm = KeycloakRealm.get();
    }

    @AfterAll
    static void close() {
        events.close();
    }

    static ECKey key(KeyUse use) throws Exception {
        return new ECKeyGenerator(Curve.P_256)
                .keyUse(use)
                .algorithm(use == KeyUse.ENCRYPTION ? JWEAlgorithm.ECDH_ES_A256KW : JWSAlgorithm.ES256)
                .keyIDFromThumbprint(true)
                .generate();
    }

    static String body(Object... jwks) {
        StringBuilder b = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < jwks.length; i++) {
            b.append(i == 0 ? "" : ",")
                    .append(jwks[i] instanceof ECKey ec ? ec.toPublicJWK().toJSONString() : jwks[i].toString());
        }
        return b.append("]}").toString();
    }

    static io.restassured.response.ValidatableResponse publish(String token, TestOrganisation org, String body) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/organisations/{id}/keys", org.id())
                .then();
    }

    @Test
    void the_own_org_admin_publishes_and_rotates_keys_with_overlap_and_every_member_reads_them() throws Exception {
        TestOrganisation org = DirectoryProfileTest.approved(
                "DE", OrganisationApiTest.profile("Keys Org", "DE", "\"SAFE_ACCOMMODATION\"", "\"deu\"", 1));
        TestOrganisation reader = realm.createOrganisation("CY");
        ECKey enc1 = key(KeyUse.ENCRYPTION);
        ECKey sig1 = key(KeyUse.SIGNATURE);

        publish(org.caseworkerToken(), org, body(enc1, sig1)).statusCode(403).contentType("application/problem+json");
        publish(reader.adminToken(), org, body(enc1, sig1)).statusCode(404).contentType("application/problem+json");
        publish(org.adminToken(), org, body(enc1, sig1))
                .statusCode(201)
                .body("keys.kid", containsInAnyOrder(enc1.getKeyID(), sig1.getKeyID()))
                .body("keys[0]", not(hasKey("d")));

        String published = given().auth()
                .oauth2(reader.caseworkerToken())
                .when()
                .get("/api/v1/organisations/{id}/keys", org.id())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JWKSet set = JWKSet.parse(published);
        assertThat(set.getKeys())
                .hasSize(2)
                .allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
        ECKey readEnc = set.getKeyByKeyId(enc1.getKeyID()).toECKey();
        assertThat(readEnc.toECPublicKey()).isEqualTo(enc1.toECPublicKey());
        assertThat(readEnc.getKeyUse()).isEqualTo(KeyUse.ENCRYPTION);
        assertThat(readEnc.getNotBeforeTime()).isNotNull();
        assertThat(readEnc.getExpirationTime()).isNull();

        // rotation: the new encryption key starts now, the old one overlaps for 14 days and then expires
        ECKey enc2 = key(KeyUse.ENCRYPTION);
        publish(org.adminToken(), org, body(enc2)).statusCode(201).body("keys.kid", hasItem(enc2.getKeyID()));
        JWKSet rotated = JWKSet.parse(given().auth()
                .oauth2(reader.integrationToken())
                .when()
                .get("/api/v1/organisations/{id}/keys", org.id())
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertThat(rotated.getKeys())
                .extracting(k -> k.getKeyID())
                .containsExactlyInAnyOrder(enc1.getKeyID(), sig1.getKeyID(), enc2.getKeyID());
        Instant oldExpiry =
                rotated.getKeyByKeyId(enc1.getKeyID()).getExpirationTime().toInstant();
        assertThat(oldExpiry)
                .isBetween(
                        Instant.now().plus(Duration.ofDays(14)).minusSeconds(120),
                        Instant.now().plus(Duration.ofDays(14)).plusSeconds(120));
        assertThat(rotated.getKeyByKeyId(sig1.getKeyID()).getExpirationTime()).isNull();

        var event = events.awaitOne(
                OrganisationKeyRotated.class,
                e -> e.getOrganisation().getOrganisationId().equals(org.id().toString())
                        && e.getOrganisation().getKeys().size() == 3,
                Duration.ofSeconds(30));
        PublicKeyRef oldRef = event.getOrganisation().getKeys().stream()
                .filter(k -> k.getKid().equals(enc1.getKeyID()))
                .findFirst()
                .orElseThrow();
        assertThat(oldRef.getExpiresAt()).isNotNull();
        assertThat(event.toString()).doesNotContain(enc1.getX().toString());

        // a kid is never used twice, not even by the same organisation for the same key
        publish(org.adminToken(), org, body(enc2))
                .statusCode(409)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("keys[0].kid"));
    }

    @Test
    void invalid_or_private_keys_are_refused_with_the_field_named() throws Exception {
        TestOrganisation org = DirectoryProfileTest.approved(
                "FR", OrganisationApiTest.profile("Bad Keys", "FR", "\"LEGAL_ASSISTANCE\"", "\"fra\"", 1));
        String admin = org.adminToken();
        ECKey full = key(KeyUse.ENCRYPTION);
        publish(admin, org, body(full.toJSONString()))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("keys[0].d"))
                .body("detail", containsString("private"));
        publish(
                        admin,
                        org,
                        body(new RSAKeyGenerator(2048)
                                .keyUse(KeyUse.SIGNATURE)
                                .keyID("rsa-1")
                                .generate()
                                .toPublicJWK()
                                .toJSONString()))
                .statusCode(400)
                .body("errors[0].field", equalTo("keys[0].kty"));
        publish(
                        admin,
                        org,
                        body(new ECKeyGenerator(Curve.P_384)
                                .keyUse(KeyUse.SIGNATURE)
                                .keyID("p384")
                                .generate()
                                .toPublicJWK()
                                .toJSONString()))
                .statusCode(400)
                .body("errors[0].field", equalTo("keys[0].crv"));
        ECKey noUse = new ECKeyGenerator(Curve.P_256).keyID("no-use").generate();
        publish(admin, org, body(key(KeyUse.SIGNATURE), noUse.toPublicJWK().toJSONString()))
                .statusCode(400)
                .body("errors[0].field", equalTo("keys[1].use"));
        Map<String, Object> offCurve =
                new java.util.HashMap<>(full.toPublicJWK().toJSONObject());
        offCurve.put("y", full.getX().toString());
        publish(admin, org, body(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(offCurve)))
                .statusCode(400)
                .body("errors[0].field", equalTo("keys[0]"));
        publish(admin, org, body("{\"kty\":\"EC\",\"crv\":\"P-256\",\"use\":\"enc\"}"))
                .statusCode(400)
                .body("errors[0].field", equalTo("keys[0]"));
        publish(admin, org, body("{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}"))
                .statusCode(400)
                .body("errors[0].field", equalTo("keys[0].k"));
        publish(admin, org, "{\"keys\":[]}").statusCode(400).body("errors[0].field", equalTo("keys"));
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body("{\"keys\":[" + key(KeyUse.SIGNATURE).toPublicJWK().toJSONString()
                        + "],\"notBefore\":\"2030-01-01T00:00:00Z\",\"expiresAt\":\"2029-01-01T00:00:00Z\"}")
                .when()
                .post("/api/v1/organisations/{id}/keys", org.id())
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("expiresAt"));
        // nothing of the refused requests was stored
        given().auth()
                .oauth2(admin)
                .when()
                .get("/api/v1/organisations/{id}/keys", org.id())
                .then()
                .statusCode(200)
                .body("keys", empty());
        assertThat(List.of(full.getKeyID())).isNotEmpty();
    }
    /** The token's subject, to find the actor in the audit log. */
    static String subject(String token) throws Exception {
        return com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getSubject();
    }

    @Test
    void every_key_publication_is_audited_with_kid_and_actor_and_a_refused_one_as_denied() throws Exception {
        TestOrganisation org = DirectoryProfileTest.approved(
                "AT", OrganisationApiTest.profile("Audited Keys", "AT", "\"LEGAL_ASSISTANCE\"", "\"deu\"", 1));
        TestOrganisation other = realm.createOrganisation("SI");
        ECKey enc = key(KeyUse.ENCRYPTION);
        ECKey sig = new ECKeyGenerator(Curve.P_256)
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.ES256)
                .keyID("sig-" + org.id())
                .generate();
        String admin = org.adminToken();

        // another organisation's admin tries to put her key in: refused, and audited as denied
        publish(other.adminToken(), org, body(enc)).statusCode(404).contentType("application/problem+json");
        publish(admin, org, body(enc, sig)).statusCode(201);

        var entries = given().auth()
                .oauth2(admin)
                .when()
                .get("/api/v1/audit?limit=200")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Map<String, Object>> publications = entries.<Map<String, Object>>getList("").stream()
                .filter(e -> "organisation.keys.publish".equals(e.get("action")))
                .toList();
        assertThat(publications)
                .filteredOn(e -> "ALLOWED".equals(e.get("outcome")))
                .extracting(e -> e.get("resourceId"))
                .containsExactlyInAnyOrder(enc.getKeyID(), sig.getKeyID());
        assertThat(publications)
                .filteredOn(e -> "ALLOWED".equals(e.get("outcome")))
                .allSatisfy(e -> {
                    assertThat(e.get("resourceType")).isEqualTo("organisation-key");
                    assertThat(e.get("actorOrganisation")).isEqualTo(org.id().toString());
                    assertThat(e.get("actorSubject")).isEqualTo(subject(admin));
                    assertThat(e.get("at")).isNotNull();
                });
        assertThat(publications)
                .filteredOn(e -> "DENIED".equals(e.get("outcome")))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.get("actorOrganisation")).isEqualTo(other.id().toString());
                    assertThat(e.get("actorSubject")).isEqualTo(subject(other.adminToken()));
                    assertThat(e.get("resourceId")).isEqualTo(org.id().toString());
                });
        // the other organisation sees its own refused attempt, never the organisation's allowed ones
        var theirs = given().auth()
                .oauth2(other.adminToken())
                .when()
                .get("/api/v1/audit?limit=200")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(theirs.<Map<String, Object>>getList(""))
                .filteredOn(e -> "organisation.keys.publish".equals(e.get("action")))
                .extracting(e -> e.get("outcome"))
                .containsExactly("DENIED");
        // the log names keys, never holds their material
        assertThat(entries.prettify())
                .doesNotContain(enc.getX().toString())
                .doesNotContain(sig.getY().toString());
        given().auth()
                .oauth2(admin)
                .when()
                .get("/api/v1/audit/verification")
                .then()
                .statusCode(200)
                .body("intact", equalTo(true));

        // the event names the newly published keys with their RFC 7638 thumbprints, for the organisation's own notice
        var event = events.awaitOne(
                OrganisationKeyRotated.class,
                e -> e.getOrganisation().getOrganisationId().equals(org.id().toString()),
                Duration.ofSeconds(30));
        assertThat(event.getPublished())
                .extracting(PublicKeyRef::getKid)
                .containsExactlyInAnyOrder(enc.getKeyID(), sig.getKeyID());
        assertThat(event.getPublished())
                .filteredOn(k -> k.getKid().equals(sig.getKeyID()))
                .singleElement()
                .satisfies(k -> assertThat(k.getThumbprint())
                        .isEqualTo(sig.computeThumbprint().toString()));
        assertThat(event.getOrganisation().getKeys())
                .allSatisfy(k -> assertThat(k.getThumbprint()).isNotBlank());
    }
}
