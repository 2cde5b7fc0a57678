package org.tandem.devstack;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The realm and the demo profiles must agree: same slugs, same organisation ids. */
class RealmAndDemoDataTest {

    static JsonNode realm;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = RealmAndDemoDataTest.class.getResourceAsStream(Keycloak.REALM_RESOURCE)) {
            realm = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void everyDemoOrganisationHasAGroupWithItsId() {
        Map<String, String> groups = new HashMap<>();
        for (JsonNode g : realm.path("groups").get(0).path("subGroups")) {
            groups.put(
                    g.path("name").asText(),
                    g.path("attributes").path("org").get(0).asText());
        }
        List<DemoData.DemoOrganisation> orgs = DemoData.organisations();
        assertThat(orgs).hasSizeGreaterThanOrEqualTo(5);
        for (DemoData.DemoOrganisation o : orgs) {
            assertThat(groups).containsEntry(o.slug(), o.id());
            assertThat(o.profile().path("name").asText()).contains("(demo)");
            assertThat(o.profile().path("confidentialAddress").path("street").asText())
                    .startsWith("(demo)");
            assertThat(o.profile().path("country").asText()).matches("[A-Z]{2}");
            assertThat(o.profile().path("region").asText())
                    .startsWith(o.profile().path("country").asText() + "-");
            for (JsonNode l : o.profile().path("languages")) {
                assertThat(l.asText()).matches("[a-z]{3}");
            }
        }
    }

    @Test
    void demoUsersAndIntegrationClientsExist() {
        Map<String, JsonNode> users = new HashMap<>();
        realm.path("users").forEach(u -> users.put(u.path("username").asText(), u));
        DemoData.users().forEach((name, role) -> {
            assertThat(users).containsKey(name);
            assertThat(users.get(name).path("realmRoles").toString()).contains(role);
            assertThat(users.get(name).path("email").asText()).endsWith("@demo.invalid");
        });
        List<String> clients = new ArrayList<>();
        realm.path("clients").forEach(c -> clients.add(c.path("clientId").asText()));
        assertThat(clients).contains("tandem-web", "tandem-dev");
        for (DemoData.DemoOrganisation o : DemoData.organisations()) {
            assertThat(clients).contains(o.integrationClient());
            JsonNode sa = users.get("service-account-" + o.integrationClient());
            assertThat(sa.path("groups").get(0).asText()).isEqualTo("/organisations/" + o.slug());
            assertThat(sa.path("realmRoles").get(0).asText()).isEqualTo("integration");
        }
    }

    @Test
    void orgAndAudienceAreInARealmDefaultScope() {
        assertThat(realm.path("accessTokenLifespan").asInt()).isEqualTo(900);
        assertThat(realm.path("bruteForceProtected").asBoolean()).isTrue();
        List<String> defaults = new ArrayList<>();
        realm.path("defaultDefaultClientScopes").forEach(s -> defaults.add(s.asText()));
        assertThat(defaults).contains("tandem", "roles", "basic");
        Set<String> roles = Set.of("caseworker", "org-admin", "coordinator", "integration");
        List<String> realmRoles = new ArrayList<>();
        realm.path("roles")
                .path("realm")
                .forEach(r -> realmRoles.add(r.path("name").asText()));
        assertThat(realmRoles).containsAll(roles);
    }

    @Test
    void theImportedRealmLetsTheWebApplicationsOriginCallKeycloak() throws Exception {
        byte[] original;
        try (InputStream in = RealmAndDemoDataTest.class.getResourceAsStream(Keycloak.REALM_RESOURCE)) {
            original = in.readAllBytes();
        }
        JsonNode imported = new ObjectMapper().readTree(Keycloak.withWebOrigin(original, 35104));
        List<String> origins = new ArrayList<>();
        for (JsonNode c : imported.path("clients")) {
            if (c.path("clientId").asText().equals("tandem-web")) {
                c.path("webOrigins").forEach(o -> origins.add(o.asText()));
            }
        }
        assertThat(origins).contains("http://localhost:35104", "+");
    }
}
