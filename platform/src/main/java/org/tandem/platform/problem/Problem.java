package org.tandem.platform.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document. Every error Tandem returns is one of these, as
 * {@code application/problem+json}, with a message a caseworker or integrator can act on and never a
 * stack trace.
 *
 * @param errors the fields at fault, when the problem concerns the request's content
 * @param limit when a limit refused the request, its name (docs/api.md, "Limits"), such as {@code body-size}
 * @param max that limit's value, in the unit the name gives (bytes, requests, streams, items)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        List<FieldError> errors,
        String limit,
        Long max) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:problem-type:tandem:";

    /** One field that failed, named by its JSON path in the request (for example {@code consent.purposes[0]}). */
    public record FieldError(String field, String message) {}

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPE_PREFIX + slug, title, status, detail, null, null, null, null);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(
                type,
                title,
                status,
                detail,
                instance,
                fieldErrors == null || fieldErrors.isEmpty() ? null : List.copyOf(fieldErrors),
                limit,
                max);
    }

    public Problem withInstance(String uri) {
        return new Problem(type, title, status, detail, uri, errors, limit, max);
    }

    /** Names the limit that refused the request and its value, as extension members {@code limit} and {@code max}. */
    public Problem withLimit(String name, long value) {
        return new Problem(type, title, status, detail, instance, errors, name, value);
    }
}
