package org.tandem.platform.http;

import org.tandem.platform.problem.ProblemException;

/**
 * Strong ETags from an entity's version, and the If-Match check that protects state changes from lost
 * updates (docs/design.md §4.5).
 */
public final class ETags {

    private ETags() {}

    /** The tag for {@code Response.tag(...)}; it is written quoted, as {@link #of(long)} gives it. */
    public static jakarta.ws.rs.core.EntityTag tag(long version) {
        return new jakarta.ws.rs.core.EntityTag(Long.toString(version));
    }

    public static String of(long version) {
        return "\"" + version + "\"";
    }

    /**
     * Checks an If-Match header against the current version: 428 when it is missing, 412 when it names
     * another version. {@code *} matches any current version.
     */
    public static void requireMatch(String ifMatch, long currentVersion) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw ProblemException.preconditionRequired();
        }
        String expected = of(currentVersion);
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(expected)) {
                return;
            }
        }
        throw ProblemException.preconditionFailed();
    }
}
