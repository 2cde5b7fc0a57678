package org.tandem.manifests;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The YAML documents of deploy/kubernetes and deploy/compose, as JSON trees. Read with SnakeYAML, which resolves
 * anchors, aliases and merge keys ({@code <<}) as kubectl and docker compose do.
 */
final class Manifests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Manifests() {}

    record Document(Path file, int index, JsonNode tree) {
        String name() {
            return Schemas.ROOT.relativize(file) + "#" + index + " "
                    + tree.path("kind").asText() + " "
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
        try (Reader r = Files.newBufferedReader(file)) {
            int i = 0;
            for (Object o : yaml().loadAll(r)) {
                JsonNode doc = JSON.valueToTree(o);
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
        try (Reader r = Files.newBufferedReader(file)) {
            return JSON.valueToTree(yaml().load(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String yaml) {
        return JSON.valueToTree(yaml().load(yaml));
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(options);
    }
}
