package org.tandem.platform.problem;

import java.util.List;

/**
 * Thrown by application code to answer with a problem document. The factories name the situations the
 * services share; a service may create its own with {@link #ProblemException(Problem)}.
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.title(), null, false, false); // no stack trace: this is an answer, not a fault
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException badRequest(String slug, String detail) {
        return new ProblemException(Problem.of(400, slug, "The request is not valid", detail));
    }

    public static ProblemException invalidField(String field, String message) {
        return new ProblemException(Problem.of(
                        400, "invalid-field", "The request is not valid", "The field '" + field + "' " + message + ".")
                .withErrors(List.of(new Problem.FieldError(field, message))));
    }

    /** The same answer for a resource that does not exist and for one the caller may not see (docs/design.md §4.2). */
    public static ProblemException notFound(String what) {
        return new ProblemException(
                Problem.of(404, "not-found", "Not found", "No " + what + " with this id exists for you."));
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.of(403, "forbidden", "Not allowed", detail));
    }

    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(Problem.of(409, slug, "Conflict with the current state", detail));
    }

    public static ProblemException unprocessable(String slug, String detail) {
        return new ProblemException(Problem.of(422, slug, "The request cannot be processed", detail));
    }

    public static ProblemException preconditionRequired() {
        return new ProblemException(
                Problem.of(
                        428,
                        "if-match-required",
                        "If-Match required",
                        "This change needs an If-Match header with the resource's current ETag, so that it cannot overwrite a change you have not seen."));
    }

    public static ProblemException preconditionFailed() {
        return new ProblemException(
                Problem.of(
                        412,
                        "etag-mismatch",
                        "The resource has changed",
                        "The resource changed since you read it. Read it again, check the change still makes sense, and retry with the new ETag."));
    }
}
