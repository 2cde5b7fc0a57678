package org.tandem.registry.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TandemInfraResource;
import org.tandem.testing.TestOrganisation;

import static io.restassured.RestAssured.given;

/**
 * Who may do what in the registry, every combination: an org-admin changes only her own organisation, a
 * caseworker and an integration read the directory, a coordinator decides on membership; everything else
 * answers 401, 403 or 404. Requests that pass the check are made to fail right after it (a stale If-Match, an
 * invalid key, an illegal transition), so that the matrix changes nothing and every cell is a status.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "registry"))
class AuthorisationMatrixTest {

    record Cell(String caller, String request, int expected) {}

    @Test
    void every_role_gets_exactly_what_it_may() {
        KeycloakRealm realm = KeycloakRealm.get();
        TestOrganisation own = DirectoryProfileTest.approved(
                "DE", OrganisationApiTest.profile("Matrix Own", "DE", "\"SAFE_ACCOMMODATION\"", "\"deu\"", 1));
        TestOrganisation other = DirectoryProfileTest.approved(
                "CY", OrganisationApiTest.profile("Matrix Other", "CY", "\"LEGAL_ASSISTANCE\"", "\"ell\"", 1));
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("own caseworker", own.caseworkerToken());
        tokens.put("own org-admin", own.adminToken());
        tokens.put("own integration", own.integrationToken());
        tokens.put("other caseworker", other.caseworkerToken());
        tokens.put("other org-admin", other.adminToken());
        tokens.put("coordinator", realm.coordinatorToken());
        tokens.put("anonymous", null);

        String id = own.id().toString();
        String profile = OrganisationApiTest.profile("Matrix Own", "DE", "\"SAFE_ACCOMMODATION\"", "\"deu\"", 1);
        String capacity = "{\"available\":1,\"maximum\":12,\"unit\":\"BEDS\"}";
        // request name -> expected status per caller, in the order of `tokens`
        Map<String, int[]> matrix = new LinkedHashMap<>();
        //                                         own cw, own admin, own integ, other cw, other admin, coordinator,
        // anonymous
        matrix.put("GET /organisations", new int[] {200, 200, 200, 200, 200, 200, 401});
        matrix.put("GET /organisations/{id}", new int[] {200, 200, 200, 200, 200, 200, 401});
        matrix.put("GET /organisations/pending", new int[] {403, 403, 403, 403, 403, 200, 401});
        matrix.put("POST /organisations", new int[] {403, 409, 403, 403, 409, 403, 401});
        matrix.put("PUT /organisations/{id}", new int[] {403, 412, 403, 403, 404, 403, 401});
        matrix.put("PUT /organisations/{id}/capacity", new int[] {403, 412, 403, 403, 404, 403, 401});
        matrix.put("POST /organisations/{id}/approval", new int[] {403, 403, 403, 403, 403, 409, 401});
        matrix.put("POST /organisations/{id}/suspension", new int[] {403, 403, 403, 403, 403, 412, 401});
        matrix.put("POST /organisations/{id}/reinstatement", new int[] {403, 403, 403, 403, 403, 409, 401});
        matrix.put("GET /organisations/{id}/keys", new int[] {200, 200, 200, 200, 200, 200, 401});
        matrix.put("POST /organisations/{id}/keys", new int[] {403, 400, 403, 403, 404, 403, 401});
        matrix.put("GET /organisations/{id}/confidential-address", new int[] {200, 200, 200, 404, 404, 403, 401});
        matrix.put("GET /services", new int[] {200, 200, 200, 200, 200, 200, 401});
        matrix.put("GET /hsds/services", new int[] {200, 200, 200, 200, 200, 200, 401});
        matrix.put("GET /hsds/organizations/{id}/services", new int[] {200, 200, 200, 200, 200, 200, 401});

        List<String> callers = new ArrayList<>(tokens.keySet());
        SoftAssertions soft = new SoftAssertions();
        for (var row : matrix.entrySet()) {
            for (int i = 0; i < callers.size(); i++) {
                String token = tokens.get(callers.get(i));
                RequestSpecification r = given().contentType(ContentType.JSON);
                if (token != null) {
                    r = r.auth().oauth2(token);
                }
                String[] parts = row.getKey().split(" ", 2);
                String path = "/api/v1" + parts[1].replace("{id}", id);
                var response = switch (row.getKey()) {
                    case "POST /organisations" -> r.body(profile).post(path);
                    case "PUT /organisations/{id}" ->
                        r.header("If-Match", "\"999\"").body(profile).put(path);
                    case "PUT /organisations/{id}/capacity" ->
                        r.header("If-Match", "\"999\"").body(capacity).put(path);
                    case "POST /organisations/{id}/suspension" ->
                        r.header("If-Match", "\"999\"").post(path);
                    case "POST /organisations/{id}/keys" ->
                        r.body("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}]}")
                                .post(path);
                    default -> parts[0].equals("POST") ? r.post(path) : r.get(path);
                };
                int status = response.statusCode();
                soft.assertThat(status)
                        .as("%s by %s", row.getKey(), callers.get(i))
                        .isEqualTo(row.getValue()[i]);
                if (status >= 400) {
                    soft.assertThat(response.contentType())
                            .as("%s by %s", row.getKey(), callers.get(i))
                            .startsWith("application/problem+json");
                }
            }
        }
        soft.assertAll();
    }
}
