package org.tandem.platform.codes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The code lists Tandem validates against: ISO 3166-1 alpha-2 countries (from the JDK), ISO 3166-2
 * subdivision syntax, and ISO 639-3 languages (a bundled list, so that Nigerian Pidgin {@code pcm} or Edo
 * {@code bin} can be named, which two-letter codes cannot).
 */
public final class IsoCodes {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Pattern REGION = Pattern.compile("([A-Z]{2})-[A-Z0-9]{1,3}");
    private static final Map<String, String> LANGUAGES = loadLanguages();

    private IsoCodes() {}

    public static boolean isCountry(String code) {
        return code != null && COUNTRIES.contains(code);
    }

    /** An ISO 3166-2 code whose country part is {@code country}, such as {@code DE-RP} for {@code DE}. */
    public static boolean isRegionOf(String region, String country) {
        if (region == null) {
            return false;
        }
        var m = REGION.matcher(region);
        return m.matches() && m.group(1).equals(country);
    }

    public static boolean isLanguage(String code) {
        return code != null && LANGUAGES.containsKey(code);
    }

    /** The English name of an ISO 639-3 language. */
    public static Optional<String> languageName(String code) {
        return Optional.ofNullable(LANGUAGES.get(code));
    }

    /** Every ISO 639-3 language Tandem accepts: code to English name (unmodifiable). */
    public static Map<String, String> languages() {
        return LANGUAGES;
    }

    private static Map<String, String> loadLanguages() {
        Map<String, String> out = new TreeMap<>();
        try (var in = IsoCodes.class.getResourceAsStream("iso-639-3.tsv")) {
            if (in == null) {
                throw new IllegalStateException("iso-639-3.tsv is missing from the classpath");
            }
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t");
                out.put(cols[0], cols[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(out);
    }
}
