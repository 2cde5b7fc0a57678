package org.tandem.manifests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A container that sets {@code JAVA_OPTS_APPEND} replaces the image's own JVM options (pom.xml,
 * {@code quarkus.jib.jvm-additional-arguments}), so each one that does must repeat them: the exit on running out of
 * memory, the native heap trim (docs/performance.md, "Native memory handed back") and the code cache's unloading
 * threshold ("A full collection for the code cache").
 */
class JvmOptionsManifestTest {

    private static final Pattern IMAGE_OPTIONS =
            Pattern.compile("<quarkus.jib.jvm-additional-arguments>([^<]+)</quarkus.jib.jvm-additional-arguments>");
    private static final Pattern OPTS_APPEND = Pattern.compile("JAVA_OPTS_APPEND(?:, value)?:\\s*\"?([^\"}\\n]+)");

    @Test
    void everyJavaOptsAppendKeepsTheImagesOptions() throws IOException {
        Matcher image = IMAGE_OPTIONS.matcher(Files.readString(Schemas.ROOT.resolve("pom.xml")));
        assertThat(image.find()).as("the image's JVM options in pom.xml").isTrue();
        List<String> imageOptions = List.of(image.group(1).trim().split("\\s*,\\s*"));
        assertThat(imageOptions).contains("-XX:TrimNativeHeapInterval=10000", "-XX:SweeperThreshold=40");

        List<Path> files = new ArrayList<>();
        try (var k8s = Files.list(Schemas.KUBERNETES)) {
            k8s.filter(p -> p.toString().endsWith(".yaml")).forEach(files::add);
        }
        files.add(ComposeKafkaTest.COMPOSE.resolve("docker-compose.yml"));
        int seen = 0;
        for (Path f : files) {
            Matcher m = OPTS_APPEND.matcher(Files.readString(f));
            while (m.find()) {
                seen++;
                assertThat(List.of(m.group(1).trim().split("\\s+")))
                        .as(Schemas.ROOT.relativize(f) + ": JAVA_OPTS_APPEND")
                        .containsAll(imageOptions);
            }
        }
        assertThat(seen).as("JAVA_OPTS_APPEND settings found").isGreaterThanOrEqualTo(3);
    }
}
