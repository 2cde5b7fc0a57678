package org.tandem.platform.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;

import io.quarkus.runtime.BlockingOperationControl;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import org.tandem.platform.problem.Problem;
import org.tandem.platform.problem.ProblemException;

/**
 * Every input has a limit (docs/design.md §4.4, docs/api.md "Limits"). A body with a {@code Content-Length} is checked against the
 * resource's limit before it is read. A body without one (HTTP/1.1 {@code Transfer-Encoding: chunked}, or
 * HTTP/2 without the header) is read here up to that limit and no further: one byte more and the request is
 * refused, so that a sender cannot pass a limit by leaving the length out. Both answer 413 naming the limit
 * ({@code body-size}) and its value. {@code quarkus.http.limits.max-body-size} stays the absolute ceiling
 * ({@link org.tandem.platform.problem.HttpErrorRoutes}).
 */
public class BodySizeFilter {

    /** The name of this limit in problems (extension member {@code limit}). */
    public static final String LIMIT = "body-size";

    @ConfigProperty(name = "tandem.http.max-body-bytes", defaultValue = "65536")
    long defaultLimit;

    @ServerRequestFilter(preMatching = false)
    public void check(ContainerRequestContext request, ResourceInfo resource) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        long limit = limitFor(resource);
        if (length == null) {
            if (mayHaveBody(request) && BlockingOperationControl.isBlockingAllowed()) {
                readWithin(request, limit);
            }
            return;
        }
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("bad-content-length", "The Content-Length header is not a number.");
        }
        if (declared > limit) {
            throw tooLarge(limit, "it declared " + declared + ".");
        }
    }

    /** A body without a length: read at most {@code limit} bytes of it, then refuse or hand on what was read. */
    private static void readWithin(ContainerRequestContext request, long limit) {
        byte[] body;
        try {
            body = request.getEntityStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        } catch (IOException e) {
            throw ProblemException.badRequest("incomplete-body", "The request body could not be read to its end.");
        }
        if (body.length > limit) {
            throw tooLarge(limit, "it sent more without a Content-Length.");
        }
        request.setEntityStream(new ByteArrayInputStream(body));
    }

    private static boolean mayHaveBody(ContainerRequestContext request) {
        if (request.getHeaderString("Transfer-Encoding") != null) {
            return true;
        }
        String method = request.getMethod();
        return "POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method);
    }

    public static ProblemException tooLarge(long limit, String what) {
        return new ProblemException(Problem.of(
                        413,
                        "payload-too-large",
                        "Request too large",
                        "This request accepts a body of at most " + limit + " bytes (limit " + LIMIT + "); " + what)
                .withLimit(LIMIT, limit));
    }

    private long limitFor(ResourceInfo resource) {
        if (resource == null || resource.getResourceMethod() == null) {
            return defaultLimit;
        }
        MaxBodySize onMethod = resource.getResourceMethod().getAnnotation(MaxBodySize.class);
        if (onMethod == null) {
            onMethod = resource.getResourceClass().getAnnotation(MaxBodySize.class);
        }
        return onMethod != null ? bytes(onMethod) : defaultLimit;
    }

    /** The annotation's limit: its configuration property's value (plus {@code bytes}), or {@code bytes}. */
    static long bytes(MaxBodySize size) {
        if (size.property().isEmpty()) {
            return size.bytes();
        }
        return ConfigProvider.getConfig().getValue(size.property(), Long.class) + size.bytes();
    }
}
