package org.tandem.platform.problem;

import java.util.List;

/**
 * The page-size limit of list endpoints (query parameter {@code limit}): one problem for every endpoint, whether
 * it checks the parameter with {@code @Max} or by hand, naming the limit ({@code page-size}) and its value.
 */
public final class PageSize {

    /** The name of this limit in problems (extension member {@code limit}). */
    public static final String LIMIT = "page-size";

    private PageSize() {}

    /** The problem for a {@code limit} above {@code max}. */
    public static ProblemException exceeded(long max) {
        return new ProblemException(Problem.of(
                        400,
                        "invalid-field",
                        "The request is not valid",
                        "The field 'limit' must be between 1 and " + max + ": this list gives at most " + max
                                + " items a page (limit " + LIMIT + ").")
                .withErrors(List.of(new Problem.FieldError("limit", "must be between 1 and " + max)))
                .withLimit(LIMIT, max));
    }

    /** {@code limit} itself when it is between 1 and {@code max}; otherwise the problem for it. */
    public static int check(int limit, int max) {
        if (limit < 1) {
            throw ProblemException.invalidField("limit", "must be between 1 and " + max);
        }
        if (limit > max) {
            throw exceeded(max);
        }
        return limit;
    }
}
