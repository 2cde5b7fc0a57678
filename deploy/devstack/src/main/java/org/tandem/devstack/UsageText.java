package org.tandem.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A command's usage text, kept in the file {@code usage.txt} beside its main class in
 * {@code src/main/resources}. {@code deploy/bin/tandem} prints the same file for {@code --help} without
 * building anything, so the text has one source.
 */
public final class UsageText {

    private UsageText() {}

    /** The text of {@code usage.txt} in the package of {@code mainClass}. */
    public static String of(Class<?> mainClass) {
        try (InputStream in = mainClass.getResourceAsStream("usage.txt")) {
            if (in == null) {
                throw new IllegalStateException("usage.txt is missing beside " + mainClass.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the arguments ask for help ({@code -h} or {@code --help} anywhere). */
    public static boolean asked(String... args) {
        List<String> all = Arrays.asList(args);
        return all.contains("-h") || all.contains("--help");
    }
}
