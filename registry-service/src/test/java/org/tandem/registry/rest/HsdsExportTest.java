package org.tandem.registry.rest;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HSDS export validates against the Open Referral HSDS 3.0 JSON schemas (vendored under
 * src/test/resources/hsds/3.0) and never carries the confidential address.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "registry"))
class HsdsExportTest {

    /**
     * The HSDS service schema. Only the schemas of the records the export emits are vendored; the others
     * (location, phone, contact, ...) are loaded only when a record holds one, and then fail to load.
     */
    static Schema serviceSchema() {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of("classpath:hsds/3.0/service.json"));
    }

    /** Whether a record is valid; one that needs a schema that is not vendored is not. */
    static boolean valid(Schema schema, JsonNode record) {
        try {
            return schema.validate(record).isEmpty();
        } catch (SchemaException e) {
            return false;
        }
    }

    @Test
    void the_export_validates_against_the_hsds_schemas_and_holds_no_address() throws Exception {
        String marker = "Hsds" + java.util.UUID.randomUUID().toString().substring(0, 6);
        TestOrganisation org = DirectoryProfileTest.approved(
                "DE",
                OrganisationApiTest.profile(marker, "DE", "\"SAFE_ACCOMMODATION\",\"FGM_CARE\"", "\"deu\",\"pcm\"", 2));
        String token = KeycloakRealm.get().createOrganisation("CY").caseworkerToken();
        Schema schema = serviceSchema();
        ObjectMapper json = new ObjectMapper();

        String one = given().auth()
                .oauth2(token)
                .when()
                .get("/api/v1/hsds/organizations/{id}/services", org.id())
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonNode services = json.readTree(one);
        assertThat(services).hasSize(2);
        for (JsonNode s : services) {
            List<Error> errors = schema.validate(s);
            assertThat(errors).as(s.toString()).isEmpty();
        }
        assertThat(services.findValuesAsText("code")).contains("SAFE_ACCOMMODATION", "FGM_CARE", "deu", "pcm");
        assertThat(services.get(0).path("organization").path("name").asText()).isEqualTo(marker);
        assertThat(one).doesNotContain("Test street").doesNotContain("Testtown").doesNotContain("00000");

        // the paged export of the whole directory validates too
        String page = given().auth()
                .oauth2(token)
                .queryParam("limit", "50")
                .when()
                .get("/api/v1/hsds/services")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonNode contents = json.readTree(page).path("contents");
        assertThat(contents.size()).isGreaterThan(0);
        for (JsonNode s : contents) {
            assertThat(schema.validate(s)).as(s.toString()).isEmpty();
        }
        assertThat(page).doesNotContain("Test street");

        // the validator is not lenient: a record with an address (an HSDS location) or without a status fails
        var withLocation =
                (com.fasterxml.jackson.databind.node.ObjectNode) services.get(0).deepCopy();
        withLocation.putArray("service_at_locations").addObject().put("id", "x");
        assertThat(valid(schema, withLocation)).isFalse();
        var withoutStatus =
                (com.fasterxml.jackson.databind.node.ObjectNode) services.get(0).deepCopy();
        withoutStatus.remove("status");
        assertThat(valid(schema, withoutStatus)).isFalse();
        assertThat(valid(schema, services.get(0))).isTrue();
    }

    @Test
    void a_pending_organisation_is_not_exported() {
        TestOrganisation pending = KeycloakRealm.get().createOrganisation("IT");
        OrganisationApiTest.apply(
                pending, OrganisationApiTest.profile("Pending Hsds", "IT", "\"LEGAL_ASSISTANCE\"", "\"ita\"", 1));
        given().auth()
                .oauth2(KeycloakRealm.get().createOrganisation("CY").caseworkerToken())
                .when()
                .get("/api/v1/hsds/organizations/{id}/services", pending.id())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }
}
