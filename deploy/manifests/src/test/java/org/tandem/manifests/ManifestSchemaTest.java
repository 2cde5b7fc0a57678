package org.tandem.manifests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every resource of deploy/kubernetes (all files the kustomization names) against the pinned Kubernetes 1.35,
 * Strimzi 1.2.0, CloudNativePG 1.30.0, Keycloak Operator and Prometheus Operator schemas, and deploy/compose against
 * the compose specification; unknown fields fail (docs/deployment.md, "How the manifests are checked").
 */
class ManifestSchemaTest {

    static Schemas schemas;

    @BeforeAll
    static void load() {
        schemas = new Schemas();
    }

    @Test
    void everyResourceOfTheKustomizationIsValidAgainstItsPinnedSchema() {
        List<Manifests.Document> docs = Manifests.resources();
        assertThat(docs).hasSizeGreaterThan(40);
        List<String> problems = new ArrayList<>();
        for (Manifests.Document d : docs) {
            schemas.validate(d.tree()).forEach(p -> problems.add(d.name() + ": " + p));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyManifestFileIsInTheKustomization() throws IOException {
        Set<String> named = new TreeSet<>();
        Manifests.kustomization().get("resources").forEach(r -> named.add(r.asText()));
        try (Stream<Path> files = Files.list(Schemas.KUBERNETES)) {
            List<String> yaml = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                    .sorted()
                    .toList();
            assertThat(named).containsExactlyInAnyOrderElementsOf(yaml);
        }
    }

    @Test
    void theImagesBlockNamesEveryImageTheBuildMakes() {
        Set<String> built = new TreeSet<>();
        for (Manifests.Document d : Manifests.resources()) {
            d.tree()
                    .findValues("containers")
                    .forEach(cs -> cs.forEach(c -> {
                        String image = c.path("image").asText();
                        if (image.startsWith("tandem/")) {
                            built.add(image);
                        }
                    }));
        }
        Set<String> named = new TreeSet<>();
        Manifests.kustomization()
                .get("images")
                .forEach(i -> named.add(i.get("name").asText()));
        assertThat(built)
                .containsExactlyInAnyOrder(
                        "tandem/registry-service",
                        "tandem/referral-service",
                        "tandem/notification-service",
                        "tandem/web");
        assertThat(named).isEqualTo(built);
    }

    @Test
    void theComposeFileIsValidAgainstTheComposeSpecification() {
        JsonNode compose = Manifests.readOne(Schemas.ROOT.resolve("deploy/compose/docker-compose.yml"));
        assertThat(Schemas.validateCompose(compose)).isEmpty();
    }

    // An unknown field fails: one real resource of each schema family, with one field added.

    @Test
    void anUnknownFieldInADeploymentFails() {
        assertUnknownFieldFails(
                "registry-service.yaml",
                "Deployment",
                d -> ((ObjectNode) d.at("/spec/template/spec/containers/0")).put("imagePullPolcy", "Always"),
                "imagePullPolcy");
    }

    @Test
    void anUnknownFieldInANetworkPolicyFails() {
        assertUnknownFieldFails(
                "network-policy.yaml", "NetworkPolicy", d -> ((ObjectNode) d.at("/spec")).put("egres", "x"), "egres");
    }

    @Test
    void anUnknownFieldInAStrimziKafkaFails() {
        assertUnknownFieldFails(
                "kafka.yaml",
                "Kafka",
                d -> ((ObjectNode) d.at("/spec/kafka/listeners/0")).put("authentification", "scram"),
                "authentification");
    }

    @Test
    void anUnknownFieldInAKafkaUserAclFails() {
        assertUnknownFieldFails(
                "kafka-users.yaml",
                "KafkaUser",
                d -> ((ObjectNode) d.at("/spec/authorization/acls/0")).put("operation", "Read"),
                "operation");
    }

    @Test
    void anUnknownFieldInACloudNativePgClusterFails() {
        assertUnknownFieldFails(
                "postgres.yaml",
                "Cluster",
                d -> ((ObjectNode) d.at("/spec/backup")).put("barmanObjectStorage", "s3://x"),
                "barmanObjectStorage");
    }

    @Test
    void anUnknownFieldInAKeycloakFails() {
        assertUnknownFieldFails(
                "keycloak.yaml",
                "Keycloak",
                d -> ((ObjectNode) d.at("/spec/hostname")).put("hostnameStrict", true),
                "hostnameStrict");
    }

    @Test
    void anUnknownFieldInTheRealmFails() {
        assertUnknownFieldFails(
                "keycloak-realm.yaml",
                "KeycloakRealmImport",
                d -> ((ObjectNode) d.at("/spec/realm")).put("bruteForceProtection", true),
                "bruteForceProtection");
    }

    @Test
    void anUnknownFieldInAPrometheusRuleFails() {
        assertUnknownFieldFails(
                "monitoring.yaml",
                "PrometheusRule",
                d -> ((ObjectNode) d.at("/spec/groups/0/rules/0")).put("severity", "warning"),
                "severity");
    }

    @Test
    void anUnknownFieldInTheComposeFileFails() {
        JsonNode compose = Manifests.readOne(Schemas.ROOT.resolve("deploy/compose/docker-compose.yml"));
        ((ObjectNode) compose.at("/services/kafka")).put("restart_policy", "always");
        assertThat(Schemas.validateCompose(compose)).anyMatch(m -> m.contains("restart_policy"));
    }

    @Test
    void aKindWithoutAPinnedSchemaFails() {
        JsonNode doc = Manifests.parse("apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata: {name: old}\n");
        assertThat(schemas.validate(doc)).containsExactly("no pinned schema for kafka.strimzi.io/v1beta2/Kafka");
    }

    private static void assertUnknownFieldFails(
            String file, String kind, java.util.function.Consumer<JsonNode> change, String field) {
        JsonNode doc = Manifests.documents(Schemas.KUBERNETES.resolve(file)).stream()
                .filter(d -> d.tree().path("kind").asText().equals(kind))
                .findFirst()
                .orElseThrow()
                .tree()
                .deepCopy();
        assertThat(schemas.validate(doc)).as("the resource as it is in " + file).isEmpty();
        change.accept(doc);
        assertThat(schemas.validate(doc)).as("with unknown field " + field).anyMatch(m -> m.contains(field));
    }

    static ArrayNode array(JsonNode n) {
        return (ArrayNode) n;
    }
}
