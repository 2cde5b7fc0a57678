package org.tandem.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * The pinned schemas of deploy/kubernetes/schemas (see its README.md), made strict: an object schema that names its
 * properties refuses any other (additionalProperties false), unless it says otherwise or is marked
 * x-kubernetes-preserve-unknown-fields, as the API server itself would prune or refuse them.
 */
final class Schemas {

    static final Path ROOT = repositoryRoot();
    static final Path KUBERNETES = ROOT.resolve("deploy/kubernetes");
    static final Path DIR = KUBERNETES.resolve("schemas");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().build();
    private static final String KUBERNETES_FILE = "kubernetes-1.35.json";

    private final Map<String, JsonSchema> byType = new ConcurrentHashMap<>();
    private final Map<String, Path> customResources;
    private final JsonNode kubernetes;

    Schemas() {
        kubernetes = read(DIR.resolve(KUBERNETES_FILE));
        try (var files = Files.walk(DIR)) {
            customResources = new java.util.HashMap<>();
            files.filter(p -> p.getParent().equals(DIR) == false && p.toString().endsWith(".json"))
                    .forEach(p -> {
                        JsonNode meta = read(p);
                        customResources.put(
                                meta.get("apiVersion").asText() + "/"
                                        + meta.get("kind").asText(),
                                p);
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every type there is a schema for, apiVersion/kind. */
    Set<String> types() {
        Set<String> out = new TreeSet<>(customResources.keySet());
        kubernetes.get("kinds").fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The problems of one resource; empty when it is valid. Unknown types are a problem too. */
    List<String> validate(JsonNode resource) {
        String type = resource.path("apiVersion").asText() + "/"
                + resource.path("kind").asText();
        JsonSchema schema = byType.computeIfAbsent(type, this::compile);
        if (schema == null) {
            return List.of("no pinned schema for " + type);
        }
        return messages(schema.validate(resource));
    }

    /** The compose file against the compose specification (which is strict itself). */
    static List<String> validateCompose(JsonNode compose) {
        ObjectNode spec = (ObjectNode) read(DIR.resolve("compose-spec.json"));
        spec.remove("$id"); // a bare file name, which the validator does not take as a base URI
        return messages(FACTORY.getSchema(spec, CONFIG).validate(compose));
    }

    private static List<String> messages(Set<ValidationMessage> errors) {
        return errors.stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private JsonSchema compile(String type) {
        JsonNode kind = kubernetes.get("kinds").get(type);
        if (kind != null) {
            ObjectNode definitions = JsonNodeFactory.instance.objectNode();
            kubernetes
                    .get("definitions")
                    .fields()
                    .forEachRemaining(
                            e -> definitions.set(e.getKey(), strict(e.getValue().deepCopy())));
            // Kubernetes' special string formats take numbers too
            definitions.set("io.k8s.apimachinery.pkg.util.intstr.IntOrString", intOrString());
            definitions.set(
                    "io.k8s.apimachinery.pkg.api.resource.Quantity",
                    JSON.valueToTree(Map.of("anyOf", List.of(Map.of("type", "string"), Map.of("type", "number")))));
            ObjectNode schema = JsonNodeFactory.instance.objectNode();
            schema.put("$ref", "#/definitions/" + kind.asText());
            schema.set("definitions", definitions);
            return FACTORY.getSchema(schema, CONFIG);
        }
        Path file = customResources.get(type);
        if (file == null) {
            return null;
        }
        ObjectNode schema = (ObjectNode) strict(read(file).get("schema").deepCopy());
        // schemas generated from CRDs (CRDs-catalog) describe spec and status only; every resource has these too
        if (schema.path("properties") instanceof ObjectNode properties && !properties.has("metadata")) {
            properties.set("apiVersion", JSON.valueToTree(Map.of("type", "string")));
            properties.set("kind", JSON.valueToTree(Map.of("type", "string")));
            properties.set("metadata", JSON.valueToTree(Map.of("type", "object")));
        }
        return FACTORY.getSchema(schema, CONFIG);
    }

    /** Adds additionalProperties false to every object schema that lists its properties and allows nothing else. */
    static JsonNode strict(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.path("x-kubernetes-int-or-string").asBoolean(false)) {
                o.remove("type");
                o.set("anyOf", intOrString().get("anyOf"));
            }
            JsonNode ref = o.get("$ref");
            if (ref != null && ref.isTextual()) {
                o.put("$ref", ref.asText().replace("#/components/schemas/", "#/definitions/"));
            }
            if (o.has("properties")
                    && !o.has("additionalProperties")
                    && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
            // OpenAPI's nullable: JSON null is allowed where the API server accepts it
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                strict(it.next().getValue());
            }
        } else if (node instanceof ArrayNode a) {
            a.forEach(Schemas::strict);
        }
        return node;
    }

    private static ObjectNode intOrString() {
        return JSON.valueToTree(Map.of("anyOf", List.of(Map.of("type", "string"), Map.of("type", "integer"))));
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("deploy/kubernetes/kustomization.yaml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("deploy/kubernetes/kustomization.yaml not found above "
                    + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
