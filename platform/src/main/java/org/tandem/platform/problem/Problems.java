package org.tandem.platform.problem;

import java.util.List;

/**
 * Builds the problems that name a field at fault, so that every service answers them the same way: the status,
 * the type, the title and the {@code errors} member come from here, the words from the caller.
 */
public final class Problems {

    /** The title of a 422 problem unless the caller names the situation better. */
    public static final String UNPROCESSABLE_TITLE = "The request cannot be processed";

    private Problems() {}

    /**
     * 422: the request is well-formed, but {@code field} holds a value the service cannot act on (an unknown
     * organisation, a key that is not current, consent that does not cover the transfer).
     *
     * @param field the JSON path of the field at fault, such as {@code receiverOrganisationId}
     * @param reason what is wrong with it, completing "the field ...", such as "is not an approved member organisation"
     * @param slug the problem type's last part, such as {@code unknown-organisation}
     * @param detail what the caller can do about it, in whole sentences
     */
    public static ProblemException unprocessable(String field, String reason, String slug, String detail) {
        return unprocessable(field, reason, slug, UNPROCESSABLE_TITLE, detail);
    }

    /** As {@link #unprocessable(String, String, String, String)}, with a title of its own. */
    public static ProblemException unprocessable(
            String field, String reason, String slug, String title, String detail) {
        return new ProblemException(
                Problem.of(422, slug, title, detail).withErrors(List.of(new Problem.FieldError(field, reason))));
    }
}
