package org.tandem.platform.problem;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every exception that reaches the REST layer into {@code application/problem+json}. Unexpected
 * failures become a 500 with an error id that is also in the log; neither the answer nor the log carries
 * exception messages, which may quote request data.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    public static Response response(Problem problem) {
        var builder = Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
        if (problem.status() == 401) {
            builder.header("WWW-Authenticate", "Bearer");
        }
        if (problem.status() == 413) {
            builder.header("Connection", "close"); // the rest of the body is never read
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        if (e instanceof org.tandem.platform.ratelimit.RateLimitExceeded limited) {
            return Response.fromResponse(response(e.problem()))
                    .header("Retry-After", limited.retryAfterSeconds())
                    .build();
        }
        return response(e.problem());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(fieldName(v.getPropertyPath()), v.getMessage()));
        }
        errors.sort(java.util.Comparator.comparing(Problem.FieldError::field));
        String detail = errors.size() == 1
                ? "The field '" + errors.get(0).field() + "' " + errors.get(0).message() + "."
                : errors.size() + " fields are not valid; see 'errors'.";
        Problem p = Problem.of(400, "validation-failed", "The request is not valid", detail)
                .withErrors(errors);
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            // a page larger than the endpoint gives: name the limit, as every limit's problem does (docs/api.md)
            if (v.getConstraintDescriptor().getAnnotation() instanceof jakarta.validation.constraints.Max max
                    && isPageSize(v.getPropertyPath())) {
                p = errors.size() == 1
                        ? PageSize.exceeded(max.value()).problem()
                        : p.withLimit(PageSize.LIMIT, max.value());
            }
        }
        return response(p);
    }

    /** Whether the path ends in the query parameter {@code limit} of a list endpoint (not a field of a body). */
    private static boolean isPageSize(Path path) {
        Path.Node last = null;
        for (Path.Node node : path) {
            last = node;
        }
        return last != null && last.getKind() == ElementKind.PARAMETER && "limit".equals(last.getName());
    }

    /** Every Jackson failure, direct or wrapped by the REST layer, is answered by {@link #json(Throwable)}. */
    @ServerExceptionMapper(priority = 1)
    public Response jackson(JsonProcessingException e) {
        return json(e);
    }

    /** Named as well, so that it replaces Quarkus's own dev- and test-mode answer for this exception. */
    @ServerExceptionMapper(priority = 1)
    public Response mismatchedInput(MismatchedInputException e) {
        return json(e);
    }

    /** Two writers changed the same resource at once; the one that committed first won. */
    @ServerExceptionMapper({jakarta.persistence.OptimisticLockException.class, org.hibernate.StaleStateException.class})
    public Response concurrentChange(Exception e) {
        return response(
                Problem.of(
                        409,
                        "concurrent-change",
                        "Changed by someone else at the same time",
                        "Another change to this resource was saved a moment before yours. Read it again and decide whether your change still applies."));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return response(Problem.of(
                401,
                "unauthenticated",
                "Sign-in required",
                "This request needs a valid bearer token from the Tandem identity provider."));
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthorized(null);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return response(Problem.of(403, "forbidden", "Not allowed", "Your role does not allow this request."));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        // The REST layer wraps body-reading failures; answer them as precisely as if they came unwrapped.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException) {
                return json(cause);
            }
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        Problem p = switch (status) {
            case 400 ->
                Problem.of(400, "bad-request", "The request is not valid", "The request could not be understood.");
            case 404 -> Problem.of(404, "not-found", "Not found", "There is nothing at this address.");
            case 405 ->
                Problem.of(
                        405,
                        "method-not-allowed",
                        "Method not allowed",
                        "This address does not accept this method." + allowed(e));
            case 406 ->
                Problem.of(406, "not-acceptable", "Not acceptable", "This address answers with application/json only.");
            case 413 ->
                Problem.of(
                        413,
                        "payload-too-large",
                        "Request too large",
                        "The request body is larger than this address accepts.");
            case 415 ->
                Problem.of(
                        415,
                        "unsupported-media-type",
                        "Unsupported media type",
                        "Send the request body as application/json.");
            default ->
                status >= 500
                        ? internal(e)
                        : Problem.of(status, "http-" + status, "Request failed", "The request failed.");
        };
        Response r = response(p);
        if (e instanceof NotAllowedException
                && e.getResponse() != null
                && e.getResponse().getHeaderString("Allow") != null) {
            return Response.fromResponse(r)
                    .header("Allow", e.getResponse().getHeaderString("Allow"))
                    .build();
        }
        return r;
    }

    @ServerExceptionMapper(priority = 10000)
    public Response unexpected(Throwable e) {
        if (poolExhausted(e)) {
            // overload, not a defect: every connection stayed busy for the whole acquisition timeout. A 503
            // with Retry-After tells a client (and a load balancer) to come back, where a 500 says "broken".
            LOG.warnf("busy: no database connection within the acquisition timeout (%s)", SafeThrowables.describe(e));
            return Response.fromResponse(
                            response(
                                    Problem.of(
                                            503,
                                            "service-busy",
                                            "The service is busy",
                                            "The service could not take this request in time, and nothing was changed. Try again in a moment.")))
                    .header("Retry-After", BUSY_RETRY_AFTER_SECONDS)
                    .build();
        }
        return response(internal(e));
    }

    static final int BUSY_RETRY_AFTER_SECONDS = 1;

    /**
     * Whether {@code e} comes from a connection pool with no free connection within its acquisition timeout
     * (Agroal's "Sorry, acquisition timeout!", wrapped by Hibernate or the transaction manager). The
     * transaction never started its work, so nothing was changed and the request can be repeated.
     */
    static boolean poolExhausted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException
                    && t.getMessage() != null
                    && t.getMessage().contains("acquisition timeout")) {
                return true;
            }
        }
        return false;
    }

    /** The most precise answer for a JSON failure: syntax errors first, then the field at fault. */
    static Response json(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof JsonParseException p) {
                var loc = p.getLocation();
                String where = loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
                return response(Problem.of(
                        400,
                        "malformed-json",
                        "The request body is not valid JSON",
                        "The request body could not be read as JSON" + where + "."));
            }
        }
        if (e instanceof UnrecognizedPropertyException u) {
            String field = jsonPath(u);
            return response(Problem.of(
                            400,
                            "unknown-field",
                            "The request is not valid",
                            "The field '" + field + "' is not part of this request.")
                    .withErrors(List.of(new Problem.FieldError(field, "is not a known field"))));
        }
        if (e instanceof JsonMappingException m) {
            String field = jsonPath(m);
            if (field.isEmpty()) {
                return response(Problem.of(
                        400,
                        "malformed-body",
                        "The request is not valid",
                        "The request body does not have the expected shape."));
            }
            if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f
                    && f.getTargetType() == String.class) {
                // the only text rule enforced while reading (org.tandem.platform.json.TextRules)
                return response(Problem.of(
                                400,
                                "invalid-field",
                                "The request is not valid",
                                "The field '" + field + "' must not contain a NUL character.")
                        .withErrors(List.of(new Problem.FieldError(field, "must not contain a NUL character"))));
            }
            Class<?> target = e instanceof MismatchedInputException mi ? mi.getTargetType() : null;
            String expected = target == null ? "of another type or shape" : describe(target);
            return response(Problem.of(
                            400,
                            "invalid-field",
                            "The request is not valid",
                            "The field '" + field + "' must be " + expected + ".")
                    .withErrors(List.of(new Problem.FieldError(field, "must be " + expected))));
        }
        return response(Problem.of(
                400,
                "malformed-json",
                "The request body is not valid JSON",
                "The request body could not be read as JSON."));
    }

    private static Problem internal(Throwable e) {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf("unexpected failure, error id %s: %s", errorId, SafeThrowables.describe(e));
        return Problem.of(
                500,
                "internal-error",
                "Something went wrong on our side",
                "The request could not be completed. If it keeps happening, give this error id to the network's support: "
                        + errorId + ".");
    }

    private static String allowed(WebApplicationException e) {
        String allow = e.getResponse() == null ? null : e.getResponse().getHeaderString("Allow");
        return allow == null ? "" : " Allowed: " + allow + ".";
    }

    /** A path such as {@code register.body.capacity.available} becomes {@code capacity.available}. */
    static String fieldName(Path path) {
        StringBuilder out = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD) {
                continue;
            }
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                // an element of a list or set, such as languages[1]: the index belongs to the container
                if (node.getIndex() != null) {
                    out.append('[').append(node.getIndex()).append(']');
                } else if (node.getKey() != null) {
                    out.append('[').append(node.getKey()).append(']');
                }
                continue;
            }
            if (node.getName() == null) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(node.getName());
            if (node.getIndex() != null) {
                out.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null) {
                out.append('[').append(node.getKey()).append(']');
            }
        }
        if (out.isEmpty()) {
            return parameter == null ? "request" : parameter;
        }
        return out.toString();
    }

    static String jsonPath(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String describe(Class<?> type) {
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            StringBuilder sb = new StringBuilder("one of ");
            for (int i = 0; i < constants.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(constants[i]);
            }
            return sb.toString();
        }
        return switch (type.getSimpleName()) {
            case "int", "Integer", "long", "Long", "short", "Short" -> "a whole number";
            case "double", "Double", "float", "Float", "BigDecimal" -> "a number";
            case "boolean", "Boolean" -> "true or false";
            case "UUID" -> "a UUID";
            case "Instant", "OffsetDateTime" -> "an ISO 8601 timestamp with a time zone, such as 2026-05-01T12:00:00Z";
            case "LocalDate" -> "an ISO 8601 date, such as 2026-05-01";
            case "LocalTime" -> "a time such as 09:30";
            case "String" -> "a string";
            case "List", "Set", "Collection" -> "an array";
            default -> "a JSON " + (type.isRecord() ? "object" : "value") + " of the expected shape";
        };
    }
}
