package org.tandem.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Helpers for the tests that keep a code list in one source: a module's own enum must hold exactly the codes of the
 * Avro schema's enum (schemas module), in the same order, and the codes its SQL names must be codes of the enum.
 */
public final class Vocabulary {

    private Vocabulary() {}

    /** The constant names of an enum, in declaration order. */
    public static List<String> codes(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
    }

    /**
     * The upper-case codes quoted in a classpath resource (such as a Flyway migration) that match {@code pattern}'s
     * first group, for comparing a migration's lists with an enum.
     */
    public static Set<String> quotedCodes(String resource, Pattern pattern) {
        try (var in = Vocabulary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Set<String> out = new TreeSet<>();
            var m = pattern.matcher(text);
            while (m.find()) {
                out.add(m.group(1));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
