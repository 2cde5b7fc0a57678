package org.tandem.referral.pathway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.tandem.client.CaseFiles;
import org.tandem.client.DataCategory;
import org.tandem.client.DeletionReceipt;
import org.tandem.client.OrganisationKeys;
import org.tandem.events.Topics;
import org.tandem.events.common.ServiceCode;
import org.tandem.events.referral.ReferralSubmitted;
import org.tandem.events.referral.ReferralWithdrawn;
import org.tandem.referral.casefile.RegistryKeysServer;
import org.tandem.referral.retention.ReferralRetention;
import org.tandem.referral.support.AdjustableClock;
import org.tandem.referral.support.CaseFileRequests;
import org.tandem.referral.support.PublishedKeys;
import org.tandem.referral.support.Referrals;
import org.tandem.testing.EventTopicReader;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
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
    static EventTopicReader events;
    static TestOrganisation cyprus;
    static TestOrganisation germany;
    static TestOrganisation nigeria;
    static TestOrganisation outsider;
    static OrganisationKeys cyprusKeys;
    static OrganisationKeys germanyKeys;
    static OrganisationKeys nigeriaKeys;

    @Inject
    AdjustableClock clock;

    @Inject
    ReferralRetention retention;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @BeforeAll
    static void organisations() {
        CaseFileRequests.sendJoseAsText();
        realm = KeycloakRealm.get();
        writer = new EventTopicWriter();
        events = new EventTopicReader(Topics.REFERRALS);
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
        events.close();
    }

    static OrganisationKeys publish(TestOrganisation org) {
        return PublishedKeys.publish(
                writer, org, List.of(ServiceCode.SAFE_ACCOMMODATION, ServiceCode.LEGAL_ASSISTANCE));
    }

    static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    static String consent(TestOrganisation recipient, String purposes, String categories) {
        return consent(recipient, purposes, categories, Instant.now().plus(Duration.ofDays(60)));
    }

    static String consent(TestOrganisation recipient, String purposes, String categories, Instant expiresAt) {
        return """
                {"recipients":["%s"],"purposes":[%s],"dataCategories":[%s],
                 "givenAt":"%s","expiresAt":"%s","formLanguage":"eng","formVersion":"2026-1","interpreterPresent":true,
                 "method":"SIGNED_FORM"}""".formatted(recipient.id(), purposes, categories, Instant.now().minusSeconds(3600), expiresAt);
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
        return Referrals.create(sender.caseworkerToken(), body);
    }

    /** Creates the first referral of a pathway; waits until the organisations have reached the read model. */
    static UUID created(TestOrganisation sender, String body) {
        return UUID.fromString(Referrals.draft(sender, body));
    }

    static ValidatableResponse post(TestOrganisation org, String path, UUID id) {
        return Referrals.post(org.caseworkerToken(), path, id);
    }

    static ValidatableResponse post(TestOrganisation org, String path, UUID id, String json) {
        return Referrals.post(org.caseworkerToken(), path, id, json);
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
        Referrals.throughAcceptance(cyprus, germany, first);
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

    static ValidatableResponse upload(TestOrganisation sender, UUID referral, String jwe) {
        return CaseFileRequests.upload(sender, referral, jwe);
    }

    static ValidatableResponse fetch(TestOrganisation receiver, UUID referral) {
        return CaseFileRequests.fetch(receiver, referral);
    }

    /** Cyprus seals the case file of {@code first} to Germany and uploads it; Germany fetches and opens it. */
    static CaseFiles.Opened fromCyprusToGermany(UUID first, byte[] content, EnumSet<DataCategory> categories) {
        upload(
                        cyprus,
                        first,
                        CaseFiles.seal(
                                content,
                                first,
                                categories,
                                cyprus.id(),
                                germany.id(),
                                cyprusKeys.signature(),
                                germanyKeys.encryption()))
                .statusCode(201);
        return CaseFiles.open(
                fetch(germany, first).statusCode(200).extract().asString(),
                germanyKeys.encryption(),
                kid -> kid.equals(cyprusKeys.signature().getKeyID())
                        ? cyprusKeys.signature().toPublicJWK()
                        : null);
    }

    static ValidatableResponse receipt(TestOrganisation receiver, OrganisationKeys keys, UUID referral) {
        return CaseFileRequests.sendDeletionReceipt(
                receiver.caseworkerToken(),
                referral,
                DeletionReceipt.sign(receiver.id(), referral, Instant.now().minusSeconds(5), keys.signature()));
    }

    @Test
    void
            three_hops_cyprus_germany_nigeria_the_file_passed_on_the_pathway_seen_by_its_parties_only_and_withdrawn_everywhere() {
        // Cyprus to Germany for first assistance; Cyprus hands over the case file, Germany opens it
        UUID first = acceptedInGermany();
        byte[] content = "Case notes, test fixture, pathway marker-P19".getBytes(StandardCharsets.UTF_8);
        CaseFiles.Opened inGermany =
                fromCyprusToGermany(first, content, EnumSet.of(DataCategory.IDENTITY, DataCategory.HEALTH));
        assertThat(inGermany.content()).isEqualTo(content);

        // Germany refers her onward to Nigeria for her return: assessed, with her consent to return, and her consent
        // for Nigeria covers her identity only
        String pathway = get(germany, "/api/v1/referrals/{id}", first).extract().path("pathwayId");
        UUID onward = Referrals.referredOnward(
                germany,
                first,
                onwardToNigeria(
                        consent(nigeria, "\"REFERRAL\",\"CASE_TRANSFER\",\"RETURN\"", "\"IDENTITY\""),
                        assessment(today().minusDays(2))));
        Referrals.throughAcceptance(germany, nigeria, onward);

        // the file passed on: decrypted in Germany, sealed again to Nigeria in Germany; the hub refuses the categories
        // that her consent for Nigeria does not cover
        String tooMuch = CaseFiles.passOn(
                inGermany,
                inGermany.content(),
                EnumSet.of(DataCategory.IDENTITY, DataCategory.HEALTH),
                onward,
                germany.id(),
                nigeria.id(),
                germanyKeys.signature(),
                nigeriaKeys.encryption());
        upload(germany, onward, tooMuch)
                .statusCode(422)
                .body("type", equalTo("urn:problem-type:tandem:consent-required"));
        byte[] identityOnly = "Identity part only, test fixture, pathway marker-P19".getBytes(StandardCharsets.UTF_8);
        upload(
                        germany,
                        onward,
                        CaseFiles.passOn(
                                inGermany,
                                identityOnly,
                                EnumSet.of(DataCategory.IDENTITY),
                                onward,
                                germany.id(),
                                nigeria.id(),
                                germanyKeys.signature(),
                                nigeriaKeys.encryption()))
                .statusCode(201)
                .body("dataCategories", equalTo(List.of("IDENTITY")));
        CaseFiles.Opened inNigeria = CaseFiles.open(
                fetch(nigeria, onward).statusCode(200).extract().asString(),
                nigeriaKeys.encryption(),
                kid -> kid.equals(germanyKeys.signature().getKeyID())
                        ? germanyKeys.signature().toPublicJWK()
                        : null);
        assertThat(inNigeria.content()).isEqualTo(identityOnly);
        assertThat(inNigeria.sender()).isEqualTo(germany.id());

        // each party sees the pathway's timeline: countries, organisations, stages, statuses, dates, nothing else
        for (TestOrganisation party : List.of(cyprus, germany, nigeria)) {
            Map<String, Object> seen = get(party, "/api/v1/pathways/{id}", pathway)
                    .statusCode(200)
                    .body("pathwayId", equalTo(pathway))
                    .body("referrals", hasSize(2))
                    .body("referrals[0].referralId", equalTo(first.toString()))
                    .body("referrals[0].stage", equalTo("FIRST_ASSISTANCE"))
                    .body("referrals[0].senderCountry", equalTo("CY"))
                    .body("referrals[0].receiverCountry", equalTo("DE"))
                    .body("referrals[0].status", equalTo("ACCEPTED"))
                    .body("referrals[1].onwardFrom", equalTo(first.toString()))
                    .body("referrals[1].stage", equalTo("RETURN_AND_REINTEGRATION"))
                    .body(
                            "referrals[1].senderOrganisationId",
                            equalTo(germany.id().toString()))
                    .body(
                            "referrals[1].receiverOrganisationId",
                            equalTo(nigeria.id().toString()))
                    .body("referrals[1].receiverCountry", equalTo("NG"))
                    .body("referrals[1].decidedAt", notNullValue())
                    .extract()
                    .as(Map.class);
            assertThat(seen.toString())
                    .doesNotContain("summary", "consent", "returnRiskAssessment", "reflectionPeriod", "marker-P19");
        }
        // an organisation outside the pathway learns nothing: the same 404 as for a pathway that does not exist
        String outside = get(outsider, "/api/v1/pathways/{id}", pathway)
                .statusCode(404)
                .contentType("application/problem+json")
                .extract()
                .asString();
        String unknown = get(outsider, "/api/v1/pathways/{id}", UUID.randomUUID())
                .statusCode(404)
                .extract()
                .asString();
        assertThat(outside.replaceAll("\"instance\":\"[^\"]*\"", ""))
                .isEqualTo(unknown.replaceAll("\"instance\":\"[^\"]*\"", ""));
        get(outsider, "/api/v1/referrals/{id}", onward).statusCode(404);
        fetch(outsider, onward).statusCode(404);
        given().auth()
                .oauth2(realm.coordinatorToken())
                .when()
                .get("/api/v1/pathways/{id}", pathway)
                .then()
                .statusCode(403);

        // the FHIR view links the pathway's Tasks: the onward Task is part of the accepted one, both in one group
        var fhir = get(nigeria, "/api/v1/referrals/{id}/fhir", onward)
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(fhir.getString("entry[0].resource.partOf[0].reference")).isEqualTo("Task/" + first);
        assertThat(fhir.getString("entry[0].resource.groupIdentifier.value")).isEqualTo("urn:uuid:" + pathway);
        assertThat(fhir.getString("entry[0].resource.code.coding[0].code")).isEqualTo("RETURN_AND_REINTEGRATION");
        var firstTask = get(germany, "/api/v1/referrals/{id}/fhir", first)
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(firstTask.getString("entry[0].resource.groupIdentifier.value"))
                .isEqualTo("urn:uuid:" + pathway);
        assertThat(firstTask.getList("entry[0].resource.partOf")).isNull();

        // events carry the pathway id and the stage, and the onward link
        ReferralSubmitted submitted = events.awaitOne(
                ReferralSubmitted.class,
                e -> e.getReferral().getReferralId().equals(onward.toString()),
                Duration.ofSeconds(30));
        assertThat(submitted.getReferral().getPathwayId()).isEqualTo(pathway);
        assertThat(submitted.getReferral().getStage().name()).isEqualTo("RETURN_AND_REINTEGRATION");
        assertThat(submitted.getOnwardFromReferralId()).isEqualTo(first.toString());

        // she withdraws her consent, told to Nigeria: it reaches every referral of her pathway and every holder
        post(nigeria, "withdrawal", onward).statusCode(200).body("status", equalTo("WITHDRAWN"));
        get(cyprus, "/api/v1/referrals/{id}", first).statusCode(200).body("status", equalTo("WITHDRAWN"));
        fetch(germany, first).statusCode(410);
        fetch(nigeria, onward).statusCode(410);
        get(cyprus, "/api/v1/referrals/{id}/case-file/status", first)
                .statusCode(200)
                .body("deletionReceipt.status", equalTo("MISSING"));
        get(germany, "/api/v1/referrals/{id}/case-file/status", onward)
                .statusCode(200)
                .body("deletionReceipt.status", equalTo("MISSING"));
        List<String> withdrawn = events
                .await(
                        ReferralWithdrawn.class,
                        e -> pathway.equals(e.getReferral().getPathwayId()),
                        2,
                        Duration.ofSeconds(30))
                .stream()
                .map(r -> r.value().getReferral().getReferralId())
                .toList();
        assertThat(withdrawn).containsExactlyInAnyOrder(first.toString(), onward.toString());
        // the timeline of the first referral says that the network withdrew it
        get(cyprus, "/api/v1/referrals/{id}/timeline", first)
                .statusCode(200)
                .body("find { it.step == 'WITHDRAWN' }.by", equalTo("HUB"));

        // each holder confirms its purge with a signed receipt
        receipt(germany, germanyKeys, first).statusCode(201).body("deletionReceipt.status", equalTo("RECEIVED"));
        receipt(nigeria, nigeriaKeys, onward).statusCode(201).body("deletionReceipt.status", equalTo("RECEIVED"));
        get(cyprus, "/api/v1/referrals/{id}/case-file/status", first)
                .statusCode(200)
                .body("deletionReceipt.status", equalTo("RECEIVED"));
        get(germany, "/api/v1/referrals/{id}/case-file/status", onward)
                .statusCode(200)
                .body("deletionReceipt.status", equalTo("RECEIVED"));

        // with her consent withdrawn, the pathway is no longer shown to anyone
        for (TestOrganisation party : List.of(cyprus, germany, nigeria)) {
            get(party, "/api/v1/pathways/{id}", pathway).statusCode(404);
        }
    }

    /**
     * Her consent for the first hop expires (she did not withdraw it): that consent ends, and only that one. Its
     * parties stop seeing the pathway through it at once, nothing of it can be passed on any more, and the
     * retention job withdraws the referral, so that the organisation that fetched its file owes a deletion
     * receipt as after a withdrawal. Her own consent for the next organisation still holds: the onward referral,
     * and the file passed on under it, stay (docs/referrals.md, "Pathways and stages").
     */
    @Test
    void an_expired_consent_ends_its_own_referral_on_the_pathway_and_owes_a_receipt_but_leaves_her_next_consent() {
        Instant expires = Instant.now().plus(Duration.ofHours(2));
        UUID first = created(cyprus, """
                {"receiverOrganisationId":"%s",
                 "summary":{"urgency":"URGENT","requestedServices":["SAFE_ACCOMMODATION"],"languages":["eng"],
                            "ageBand":"AGE_25_34","accompanyingChildren":[],"safetyRisk":"HIGH"},
                 "stage":"FIRST_ASSISTANCE",
                 "consent":%s}""".formatted(
                        germany.id(), consent(germany, "\"REFERRAL\",\"CASE_TRANSFER\"", "\"IDENTITY\"", expires)));
        Referrals.throughAcceptance(cyprus, germany, first);
        CaseFiles.Opened inGermany = fromCyprusToGermany(
                first,
                "Expiring consent, test fixture".getBytes(StandardCharsets.UTF_8),
                EnumSet.of(DataCategory.IDENTITY));
        String pathway = get(germany, "/api/v1/referrals/{id}", first).extract().path("pathwayId");

        // Germany refers her on to Nigeria, with her consent for Nigeria (sixty days), and passes the file on
        String onwardBody = """
                {"receiverOrganisationId":"%s","stage":"LONG_TERM_ASSISTANCE","consent":%s}""".formatted(nigeria.id(), transferConsent(nigeria, "\"IDENTITY\""));
        UUID onward = Referrals.referredOnward(germany, first, onwardBody);
        Referrals.throughAcceptance(germany, nigeria, onward);
        upload(
                        germany,
                        onward,
                        CaseFiles.passOn(
                                inGermany,
                                inGermany.content(),
                                EnumSet.of(DataCategory.IDENTITY),
                                onward,
                                germany.id(),
                                nigeria.id(),
                                germanyKeys.signature(),
                                nigeriaKeys.encryption()))
                .statusCode(201);
        fetch(nigeria, onward).statusCode(200);
        get(cyprus, "/api/v1/pathways/{id}", pathway).statusCode(200).body("referrals", hasSize(2));

        // three hours on, her consent for Germany has expired; the retention job has not run yet
        clock.advance(Duration.ofHours(3));
        get(cyprus, "/api/v1/pathways/{id}", pathway).statusCode(404).contentType("application/problem+json");
        for (TestOrganisation party : List.of(germany, nigeria)) {
            get(party, "/api/v1/pathways/{id}", pathway)
                    .statusCode(200)
                    .body("referrals", hasSize(1))
                    .body("referrals[0].referralId", equalTo(onward.toString()));
        }
        // nothing of the expired referral goes further: no second onward referral from it
        post(germany, "onward-referral", first, onwardBody)
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem-type:tandem:consent-required"))
                .body("errors[0].field", equalTo("onwardFrom"));

        // the retention job withdraws the expired referral, by the hub, and only that one
        retention.run(clock.instant());
        get(cyprus, "/api/v1/referrals/{id}", first)
                .statusCode(200)
                .body("status", equalTo("WITHDRAWN"))
                .body("consent.withdrawnAt", nullValue());
        get(cyprus, "/api/v1/referrals/{id}/timeline", first)
                .statusCode(200)
                .body("find { it.step == 'WITHDRAWN' }.by", equalTo("HUB"));
        fetch(germany, first).statusCode(410);
        get(cyprus, "/api/v1/referrals/{id}/case-file/status", first)
                .statusCode(200)
                .body("deletionReceipt.status", equalTo("MISSING"));
        receipt(germany, germanyKeys, first).statusCode(201).body("deletionReceipt.status", equalTo("RECEIVED"));
        get(nigeria, "/api/v1/referrals/{id}", onward).statusCode(200).body("status", equalTo("ACCEPTED"));
        fetch(nigeria, onward).statusCode(200);
        get(germany, "/api/v1/referrals/{id}/case-file/status", onward)
                .statusCode(200)
                .body("deletionReceipt.status", equalTo("NOT_REQUIRED"));
        for (TestOrganisation party : List.of(germany, nigeria)) {
            get(party, "/api/v1/pathways/{id}", pathway).statusCode(200).body("referrals", hasSize(1));
        }
        get(cyprus, "/api/v1/pathways/{id}", pathway).statusCode(404);
    }

    @Test
    void coordinators_see_stages_only_as_counts_under_the_disclosure_control() {
        // one submitted referral for proceedings this year: a count of 1, which must never be shown
        UUID one = created(cyprus, firstReferral(germany, "\"stage\":\"PROCEEDINGS\""));
        post(cyprus, "submission", one).statusCode(200);
        var stats = given().auth()
                .oauth2(realm.coordinatorToken())
                .when()
                .get("/api/v1/coordination/statistics")
                .then()
                .statusCode(200)
                .body("byStatusAndStage", hasSize(8 * 5))
                .extract()
                .jsonPath();
        List<Map<String, Object>> cells = stats.getList("byStatusAndStage");
        for (Map<String, Object> cell : cells) {
            assertThat(cell.keySet()).isSubsetOf("status", "stage", "count", "suppressed");
            if (Boolean.TRUE.equals(cell.get("suppressed"))) {
                assertThat(cell).doesNotContainKey("count");
            } else {
                long n = ((Number) cell.get("count")).longValue();
                // a shown cell is zero or at least the threshold: never a small count
                assertThat(n == 0 || n >= stats.getInt("suppressionThreshold")).isTrue();
            }
        }
        // pathways are counted by their number of referrals, under the same rule, and never named
        List<Map<String, Object>> pathways = stats.getList("pathwaysByLength");
        assertThat(pathways).extracting(c -> c.get("referrals")).containsExactly("ONE", "TWO", "THREE", "FOUR_OR_MORE");
        for (Map<String, Object> cell : pathways) {
            assertThat(cell.keySet()).isSubsetOf("referrals", "count", "suppressed");
            if (!Boolean.TRUE.equals(cell.get("suppressed"))) {
                long n = ((Number) cell.get("count")).longValue();
                assertThat(n == 0 || n >= stats.getInt("suppressionThreshold")).isTrue();
            }
        }
        assertThat(cells)
                .filteredOn(c -> "SUBMITTED".equals(c.get("status")) && "PROCEEDINGS".equals(c.get("stage")))
                .singleElement()
                .satisfies(c -> assertThat(c).containsEntry("suppressed", true).doesNotContainKey("count"));
    }
}
