package org.tandem.referral.pathway;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.client.OrganisationKeys;
import org.tandem.events.common.ServiceCode;
import org.tandem.events.registry.KeyUse;
import org.tandem.events.registry.PublicKeyRef;
import org.tandem.referral.casefile.RegistryKeysServer;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Pathways and stages through the REST API on real infrastructure (docs/referrals.md, "Pathways and stages"): a
 * survivor's pathway from an organisation in Cyprus to one in Germany and on to one in Nigeria for her return,
 * and a fourth organisation, in Austria, outside it. All organisations and data are test fixtures.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
@WithTestResource(RegistryKeysServer.class)
class PathwayApiTest {

    static final String JOSE = "application/jose";
    static KeycloakRealm realm;
    static EventTopicWriter writer;
    static TestOrganisation cyprus;
    static TestOrganisation germany;
    static TestOrganisation nigeria;
    static TestOrganisation outsider;
    static OrganisationKeys cyprusKeys;
    static OrganisationKeys germanyKeys;
    static OrganisationKeys nigeriaKeys;

    @BeforeAll
    static void organisations() {
        io.restassured.RestAssured.config = io.restassured.RestAssured.config()
                .encoderConfig(io.restassured.config.EncoderConfig.encoderConfig()
                        .encodeContentTypeAs(JOSE, ContentType.TEXT));
        realm = KeycloakRealm.get();
        writer = new EventTopicWriter();
        cyprus = realm.createOrganisation("CY");
        germany = realm.createOrganisation("DE");
        nigeria = realm.createOrganisation("NG");
        outsider = realm.createOrganisation("AT");
        cyprusKeys = publish(cyprus);
        germanyKeys = publish(germany);
        nigeriaKeys = publish(nigeria);
        publish(outsider);
    }

    @AfterAll
    static void close() {
        writer.close();
    }

    static OrganisationKeys publish(TestOrganisation org) {
        OrganisationKeys keys = OrganisationKeys.generate();
        Instant since = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        writer.approvedOrganisation(
                org,
                List.of(ServiceCode.SAFE_ACCOMMODATION, ServiceCode.LEGAL_ASSISTANCE),
                List.of(
                        new PublicKeyRef(
                                keys.encryption().getKeyID(),
                                KeyUse.ENCRYPTION,
                                since,
                                null,
                                keys.encryption().getKeyID()),
                        new PublicKeyRef(
                                keys.signature().getKeyID(),
                                KeyUse.SIGNATURE,
                                since,
                                null,
                                keys.signature().getKeyID())));
        RegistryKeysServer.PUBLISHED.put(org.id(), keys.toPublicJwkSet());
        return keys;
    }

    static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    static String consent(TestOrganisation recipient, String purposes, String categories) {
        return """
                {"recipients":["%s"],"purposes":[%s],"dataCategories":[%s],
                 "givenAt":"%s","expiresAt":"%s","formLanguage":"eng","formVersion":"2026-1","interpreterPresent":true,
                 "method":"SIGNED_FORM"}""".formatted(
                        recipient.id(),
                        purposes,
                        categories,
                        Instant.now().minusSeconds(3600),
                        Instant.now().plus(Duration.ofDays(60)));
    }

    static String transferConsent(TestOrganisation recipient, String categories) {
        return consent(recipient, "\"REFERRAL\",\"CASE_TRANSFER\"", categories);
    }

    static String firstReferral(TestOrganisation receiver, String stageFields) {
        return """
                {"receiverOrganisationId":"%s",
                 "summary":{"urgency":"URGENT","requestedServices":["SAFE_ACCOMMODATION"],"languages":["eng"],
                            "ageBand":"AGE_25_34","accompanyingChildren":[],"safetyRisk":"HIGH"},
                 %s,
                 "consent":%s}""".formatted(
                receiver.id(), stageFields, transferConsent(receiver, "\"IDENTITY\",\"HEALTH\",\"LEGAL_PROCEEDINGS\""));
    }

    static ValidatableResponse create(TestOrganisation sender, String body) {
        return given().auth()
                .oauth2(sender.caseworkerToken())
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/referrals")
                .then();
    }

    /** Creates the first referral of a pathway; waits until the organisations have reached the read model. */
    static UUID created(TestOrganisation sender, String body) {
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    var r = create(sender, body).extract();
                    if (r.statusCode() == 201) {
                        id[0] = r.jsonPath().getString("id");
                        return true;
                    }
                    return false;
                });
        return UUID.fromString(id[0]);
    }

    static ValidatableResponse post(TestOrganisation org, String path, UUID id) {
        return given().auth()
                .oauth2(org.caseworkerToken())
                .when()
                .post("/api/v1/referrals/{id}/" + path, id)
                .then();
    }

    static ValidatableResponse post(TestOrganisation org, String path, UUID id, String json) {
        return given().auth()
                .oauth2(org.caseworkerToken())
                .contentType(ContentType.JSON)
                .body(json)
                .when()
                .post("/api/v1/referrals/{id}/" + path, id)
                .then();
    }

    static ValidatableResponse put(TestOrganisation org, String path, UUID id, String json) {
        return given().auth()
                .oauth2(org.caseworkerToken())
                .contentType(ContentType.JSON)
                .body(json)
                .when()
                .put("/api/v1/referrals/{id}/" + path, id)
                .then();
    }

    static ValidatableResponse get(TestOrganisation org, String path, Object id) {
        return given().auth().oauth2(org.caseworkerToken()).when().get(path, id).then();
    }

    /** Cyprus to Germany for first assistance, with her reflection period, accepted by Germany. */
    static UUID acceptedInGermany() {
        UUID first = created(
                cyprus,
                firstReferral(
                        germany,
                        "\"stage\":\"FIRST_ASSISTANCE\",\"reflectionPeriodEndsOn\":\"%s\""
                                .formatted(today().plusDays(60))));
        post(cyprus, "submission", first).statusCode(200);
        post(germany, "acknowledgement", first).statusCode(200);
        post(germany, "acceptance", first).statusCode(200);
        return first;
    }

    static String assessment(LocalDate on) {
        return """
                {"assessorRole":"RETURN_COUNSELLOR","assessedOn":"%s","outcomeLevel":"MEDIUM"}""".formatted(on);
    }

    static String onwardToNigeria(String consent, String assessment) {
        return """
                {"receiverOrganisationId":"%s","stage":"RETURN_AND_REINTEGRATION"%s%s}""".formatted(
                        nigeria.id(),
                        assessment == null ? "" : ",\"returnRiskAssessment\":" + assessment,
                        consent == null ? "" : ",\"consent\":" + consent);
    }

    @Test
    void a_referral_carries_its_stage_and_an_onward_referral_joins_the_same_pathway() {
        UUID first = acceptedInGermany();
        String pathway = get(germany, "/api/v1/referrals/{id}", first)
                .statusCode(200)
                .body("stage", equalTo("FIRST_ASSISTANCE"))
                .body("reflectionPeriodEndsOn", equalTo(today().plusDays(60).toString()))
                .body("pathwayId", notNullValue())
                .body("onwardFrom", nullValue())
                .extract()
                .path("pathwayId");

        // the sender of the accepted referral cannot refer onward from it: that is the receiver's step
        post(cyprus, "onward-referral", first, onwardToNigeria(null, null)).statusCode(403);
        // an organisation outside the pathway gets the same 404 as for an unknown referral
        post(outsider, "onward-referral", first, onwardToNigeria(null, null))
                .statusCode(404)
                .contentType("application/problem+json");

        UUID onward = UUID.fromString(post(
                        germany,
                        "onward-referral",
                        first,
                        onwardToNigeria(
                                consent(nigeria, "\"REFERRAL\",\"CASE_TRANSFER\",\"RETURN\"", "\"IDENTITY\""),
                                assessment(today().minusDays(3))))
                .statusCode(201)
                .body("status", equalTo("DRAFT"))
                .body("senderOrganisationId", equalTo(germany.id().toString()))
                .body("receiverOrganisationId", equalTo(nigeria.id().toString()))
                .body("pathwayId", equalTo(pathway))
                .body("onwardFrom", equalTo(first.toString()))
                .body("stage", equalTo("RETURN_AND_REINTEGRATION"))
                .body("returnRiskAssessment.outcomeLevel", equalTo("MEDIUM"))
                // the summary is carried over, so that nothing is asked again
                .body("summary.safetyRisk", equalTo("HIGH"))
                .extract()
                .path("id"));
        post(germany, "submission", onward).statusCode(200);
        get(nigeria, "/api/v1/referrals/{id}", onward)
                .statusCode(200)
                .body("pathwayId", equalTo(pathway))
                .body("stage", equalTo("RETURN_AND_REINTEGRATION"));
        get(outsider, "/api/v1/referrals/{id}", onward).statusCode(404);

        // only an accepted referral can be referred onward: Nigeria has not accepted yet
        post(nigeria, "onward-referral", onward, onwardToNigeria(null, null))
                .statusCode(409)
                .body("type", equalTo("urn:problem-type:tandem:illegal-transition"));
    }

    @Test
    void a_return_is_refused_without_a_risk_assessment_and_without_her_consent_to_return() {
        UUID first = acceptedInGermany();
        UUID onward = UUID.fromString(
                post(germany, "onward-referral", first, onwardToNigeria(transferConsent(nigeria, "\"IDENTITY\""), null))
                        .statusCode(201)
                        .body("returnRiskAssessment", nullValue())
                        .extract()
                        .path("id"));

        post(germany, "submission", onward)
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem-type:tandem:return-risk-assessment-required"))
                .body("errors[0].field", equalTo("returnRiskAssessment"));

        // an assessment is codes and a date: free text, unknown codes and dates out of range are refused
        put(germany, "return-risk-assessment", onward, assessment(today().plusDays(1)))
                .statusCode(400)
                .body("errors[0].field", equalTo("returnRiskAssessment.assessedOn"));
        put(germany, "return-risk-assessment", onward, assessment(today().minusDays(400)))
                .statusCode(400)
                .body("errors[0].field", equalTo("returnRiskAssessment.assessedOn"));
        put(
                        germany,
                        "return-risk-assessment",
                        onward,
                        assessment(today()).replace("RETURN_COUNSELLOR", "She seemed fine"))
                .statusCode(400)
                .body("errors[0].field", equalTo("assessorRole"));
        // the receiver does not know of a draft yet: the same 404 as for an unknown referral
        put(nigeria, "return-risk-assessment", onward, assessment(today())).statusCode(404);
        put(germany, "return-risk-assessment", onward, assessment(today()))
                .statusCode(200)
                .body("returnRiskAssessment.assessorRole", equalTo("RETURN_COUNSELLOR"))
                .body("returnRiskAssessment.assessedOn", equalTo(today().toString()));

        // with the assessment, her own consent to return is still missing
        post(germany, "submission", onward)
                .statusCode(422)
                .body("type", equalTo("urn:problem-type:tandem:consent-required"))
                .body("errors[0].field", equalTo("consent.purposes"));
        put(germany, "consent", onward, consent(nigeria, "\"REFERRAL\",\"CASE_TRANSFER\",\"RETURN\"", "\"IDENTITY\""))
                .statusCode(200);
        post(germany, "submission", onward).statusCode(200).body("status", equalTo("SUBMITTED"));
    }

    @Test
    void stages_are_codes_and_their_fields_have_limits() {
        // stage is required
        create(cyprus, firstReferral(germany, "\"reflectionPeriodEndsOn\":null"))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItem("stage"));
        // a stage is a code, never free text
        create(cyprus, firstReferral(germany, "\"stage\":\"shelter for a while\""))
                .statusCode(400)
                .body("errors[0].field", equalTo("stage"));
        // the reflection period belongs to identification and first assistance only, within a year of today
        create(
                        cyprus,
                        firstReferral(
                                germany,
                                "\"stage\":\"PROCEEDINGS\",\"reflectionPeriodEndsOn\":\"%s\"".formatted(today())))
                .statusCode(400)
                .body("errors[0].field", equalTo("reflectionPeriodEndsOn"));
        create(
                        cyprus,
                        firstReferral(
                                germany,
                                "\"stage\":\"FIRST_ASSISTANCE\",\"reflectionPeriodEndsOn\":\"%s\""
                                        .formatted(today().plusDays(400))))
                .statusCode(400)
                .body("errors[0].field", equalTo("reflectionPeriodEndsOn"));
        // a return risk assessment belongs to a return referral only
        create(
                        cyprus,
                        firstReferral(
                                germany,
                                "\"stage\":\"LONG_TERM_ASSISTANCE\",\"returnRiskAssessment\":" + assessment(today())))
                .statusCode(400)
                .body("errors[0].field", equalTo("returnRiskAssessment"));
        create(
                        cyprus,
                        firstReferral(
                                germany,
                                "\"stage\":\"RETURN_AND_REINTEGRATION\",\"returnRiskAssessment\":"
                                        + "{\"assessorRole\":\"PSYCHOLOGIST\",\"outcomeLevel\":\"LOW\"}"))
                .statusCode(400)
                .body("errors[0].field", equalTo("returnRiskAssessment.assessedOn"));
        // and a first referral of each stage starts a pathway of its own, with a random id
        UUID a = created(cyprus, firstReferral(germany, "\"stage\":\"IDENTIFICATION\""));
        UUID b = created(cyprus, firstReferral(germany, "\"stage\":\"PROCEEDINGS\""));
        String pa = get(cyprus, "/api/v1/referrals/{id}", a)
                .statusCode(200)
                .extract()
                .path("pathwayId");
        String pb = get(cyprus, "/api/v1/referrals/{id}", b)
                .statusCode(200)
                .body("stage", equalTo("PROCEEDINGS"))
                .extract()
                .path("pathwayId");
        assertThat(pa).isNotEqualTo(pb).isNotEqualTo(a.toString()).isNotEqualTo(b.toString());
    }
}
