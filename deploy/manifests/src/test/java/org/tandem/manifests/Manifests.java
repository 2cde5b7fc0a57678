package org.tandem.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/** The YAML documents of deploy/kubernetes and deploy/compose, as JSON trees. */
final class Manifests {

    private static final YAMLMapper YAML = new YAMLMapper();

    private Manifests() {
    }

    record Document(Path file, int index, JsonNode tree) {
        String name() {
            return Schemas.ROOT.relativize(file) + "#" + index + " " + tree.path("kind").asText() + " "
                    + tree.path("metadata").path("name").asText();
        }
    }

    static JsonNode kustomization() {
        return readOne(Schemas.KUBERNETES.resolve("kustomization.yaml"));
    }

    /** Every document of every resource file the kustomization names, in order. */
    static List<Document> resources() {
        List<Document> out = new ArrayList<>();
        for (JsonNode r : kustomization().get("resources")) {
            out.addAll(documents(Schemas.KUBERNETES.resolve(r.asText())));
        }
        return out;
    }

    static List<Document> documents(Path file) {
        List<Document> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            int i = 0;
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    out.add(new Document(file, i++, doc));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return out;
    }

    static JsonNode readOne(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
