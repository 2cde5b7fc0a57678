package org.tandem.events.governance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The build check behind docs/design.md §4.1: "Avro event fields are limited to opaque ids, organisation ids,
 * country codes, enums, counts and coarse timestamps". A field passes only when it declares an allowed
 * {@link FieldClass}, its Avro type fits that class, and its name does not suggest personal data or free
 * text.
 */
public final class AnonymisationPolicy {

    /** Names that hint at personal data or free text are refused whatever class they declare. */
    private static final Pattern SUSPICIOUS_NAME =
            Pattern.compile(".*(name|birth|dob|address|street|email|phone|mobile|note|comment|text|description|message|"
                    + "story|nationality|passport|content|file|body|payload|reason_text|free).*");

    /**
     * Quasi-identifiers: an exact count of people (children, family members, ...) together with a country pair and a
     * day can single out one woman, so a count must not count people; a band code can say as much as a consumer needs.
     */
    private static final Pattern COUNT_OF_PEOPLE = Pattern.compile(
            ".*(child|daughter|person|people|famil|household|dependant|dependent|minor|sibling|adult|member|"
                    + "companion|accompan|infant|baby|babies|pregnan).*");

    private AnonymisationPolicy() {}

    /** Returns one message per violation; an empty list means the schema may be used for an event. */
    public static List<String> violations(Schema schema) {
        List<String> out = new ArrayList<>();
        checkRecord(schema, schema.getFullName(), out);
        return out;
    }

    private static void checkRecord(Schema record, String path, List<String> out) {
        if (record.getType() != Schema.Type.RECORD) {
            out.add(path + ": an event must be an Avro record");
            return;
        }
        for (Schema.Field field : record.getFields()) {
            String where = path + "." + field.name();
            String normalised =
                    field.name().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
            if (SUSPICIOUS_NAME.matcher(normalised).matches()) {
                out.add(where + ": the field name suggests personal data or free text");
            }
            Object declared = field.getObjectProp(FieldClass.PROPERTY);
            if (declared == null) {
                out.add(where + ": no \"" + FieldClass.PROPERTY
                        + "\" property; every event field must declare what it holds");
                continue;
            }
            var fieldClass = FieldClass.of(declared.toString());
            if (fieldClass.isEmpty()) {
                out.add(where + ": \"" + declared + "\" is not an allowed field class");
                continue;
            }
            checkType(fieldClass.get(), nonNull(field.schema()), where, out);
            if (fieldClass.get() == FieldClass.COUNT
                    && COUNT_OF_PEOPLE.matcher(normalised).matches()) {
                out.add(where + ": an exact count of people is a quasi-identifier; leave it out or use a band code");
            }
        }
    }

    private static void checkType(FieldClass fieldClass, Schema type, String where, List<String> out) {
        boolean fits = switch (fieldClass) {
            case EVENT_ID, OPAQUE_ID, ORG_ID, KEY_ID, COUNTRY, REGION -> type.getType() == Schema.Type.STRING;
            case LANGUAGE_CODE ->
                type.getType() == Schema.Type.STRING
                        || (type.getType() == Schema.Type.ARRAY
                                && type.getElementType().getType() == Schema.Type.STRING);
            case CODE ->
                type.getType() == Schema.Type.ENUM
                        || (type.getType() == Schema.Type.ARRAY
                                && type.getElementType().getType() == Schema.Type.ENUM);
            case FLAG -> type.getType() == Schema.Type.BOOLEAN;
            case COUNT -> type.getType() == Schema.Type.INT || type.getType() == Schema.Type.LONG;
            case VERSION -> type.getType() == Schema.Type.LONG;
            case TIMESTAMP ->
                type.getType() == Schema.Type.LONG && type.getLogicalType() instanceof LogicalTypes.TimestampMillis;
            case RECORD -> {
                if (type.getType() == Schema.Type.RECORD) {
                    checkRecord(type, where, out);
                    yield true;
                }
                if (type.getType() == Schema.Type.ARRAY && type.getElementType().getType() == Schema.Type.RECORD) {
                    checkRecord(type.getElementType(), where + "[]", out);
                    yield true;
                }
                yield false;
            }
        };
        if (!fits) {
            out.add(where + ": type " + type + " does not fit field class " + fieldClass.label());
        }
    }

    /** Unwraps an optional field, {@code ["null", T]}, to T. Any other union is refused by the type check. */
    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        List<Schema> branches = schema.getTypes().stream()
                .filter(s -> s.getType() != Schema.Type.NULL)
                .toList();
        return branches.size() == 1 ? branches.get(0) : schema;
    }
}
