package org.tandem.referral.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.tandem.referral.application.ConsentForm;
import org.tandem.referral.domain.Consent;
import org.tandem.referral.domain.ReferralException;
import org.tandem.referral.mapping.ConsentFormHtml;

/**
 * The consent form's versioned, multilingual texts. They are data: {@code consent-forms/index.json} lists
 * the forms and names the current version, and {@code consent-forms/<version>/<language>.json} holds
 * each text. A new language or version is a new file and a line in the index. Every form must explain
 * every purpose and every data category, or the service refuses to start.
 */
@ApplicationScoped
public class ConsentForms {

    static final String ROOT = "consent-forms/";

    record Index(String current, List<Entry> forms) {
        record Entry(String version, String language) {}
    }

    private final String current;
    private final Map<String, ConsentForm> forms = new LinkedHashMap<>();

    public ConsentForms() {
        ObjectMapper json =
                new ObjectMapper().findAndRegisterModules().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Index index = read(json, ROOT + "index.json", Index.class);
        for (Index.Entry entry : index.forms()) {
            ConsentForm form = read(json, ROOT + entry.version() + "/" + entry.language() + ".json", ConsentForm.class);
            check(form, entry);
            forms.put(key(form.version(), form.language()), form);
        }
        if (forms.values().stream().noneMatch(f -> f.version().equals(index.current()))) {
            throw new IllegalStateException(
                    "consent-forms/index.json names a current version without forms: " + index.current());
        }
        current = index.current();
    }

    public String currentVersion() {
        return current;
    }

    public Optional<ConsentForm> find(String version, String language) {
        return Optional.ofNullable(forms.get(key(version, language)));
    }

    /** A blank form to print and sign: no recipient, nothing ticked, no referral. */
    public String blank(String version, String language) {
        ConsentForm form = find(version, language).orElseThrow(() -> new ReferralException.NotFound("consent form"));
        return ConsentFormHtml.render(form, List.of(), java.util.Set.of(), java.util.Set.of(), null, null);
    }

    public boolean exists(String version, String language) {
        return forms.containsKey(key(version, language));
    }

    public List<ConsentForm.Listing> list() {
        List<ConsentForm.Listing> out = new ArrayList<>();
        for (ConsentForm f : forms.values()) {
            out.add(new ConsentForm.Listing(
                    f.version(),
                    f.language(),
                    f.languageName(),
                    f.needsNativeReview(),
                    f.version().equals(current)));
        }
        out.sort(Comparator.comparing(ConsentForm.Listing::version)
                .reversed()
                .thenComparing(ConsentForm.Listing::language));
        return out;
    }

    /** Every text present, every purpose and data category explained, and the file where the index says. */
    static void check(ConsentForm form, Index.Entry entry) {
        String where = ROOT + entry.version() + "/" + entry.language() + ".json";
        if (!entry.version().equals(form.version()) || !entry.language().equals(form.language())) {
            throw new IllegalStateException(
                    where + " declares version " + form.version() + " and language " + form.language());
        }
        for (RecordComponent c : ConsentForm.class.getRecordComponents()) {
            try {
                Object value = c.getAccessor().invoke(form);
                if (value == null || value instanceof String s && s.isBlank()) {
                    throw new IllegalStateException(where + " lacks " + c.getName());
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        if (!form.purposes().keySet().containsAll(EnumSet.allOf(Consent.Purpose.class))
                || form.purposes().values().stream().anyMatch(String::isBlank)) {
            throw new IllegalStateException(where + " does not explain every purpose");
        }
        if (!form.categories().keySet().containsAll(EnumSet.allOf(Consent.DataCategory.class))
                || form.categories().values().stream().anyMatch(String::isBlank)) {
            throw new IllegalStateException(where + " does not explain every data category");
        }
    }

    private static String key(String version, String language) {
        return version + "/" + language;
    }

    private static <T> T read(ObjectMapper json, String resource, Class<T> type) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return json.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
