package org.tandem.events.governance;

import java.util.Arrays;
import java.util.Optional;

/**
 * The only kinds of value an event may carry (docs/design.md §4.1): opaque ids, organisation ids, country codes,
 * enums and codes, counts and coarse timestamps. Every Avro field declares one of them in its
 * {@code "tandem.class"} property, and {@link AnonymisationPolicy} checks that the Avro type fits.
 */
public enum FieldClass {
    EVENT_ID("event-id"),
    OPAQUE_ID("opaque-id"),
    ORG_ID("org-id"),
    KEY_ID("key-id"),
    COUNTRY("country"),
    REGION("region"),
    LANGUAGE_CODE("language-code"),
    CODE("code"),
    FLAG("flag"),
    COUNT("count"),
    VERSION("version"),
    TIMESTAMP("timestamp"),
    RECORD("record");

    public static final String PROPERTY = "tandem.class";

    private final String label;

    FieldClass(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<FieldClass> of(String label) {
        return Arrays.stream(values()).filter(c -> c.label.equals(label)).findFirst();
    }
}
