package org.tandem.platform.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Errors that the HTTP layer raises before a request reaches a resource, such as a body over the
 * absolute size limit or an overlong address, answer with problem+json too.
 *
 * <p>The HTTP codec itself refuses a request line over {@code quarkus.http.limits.max-initial-line-length}
 * (set far above {@code tandem.http.max-uri-length}) with a bare 414 before any route runs; Quarkus offers no
 * hook there, so the limit that callers meet is this one, with a problem.
 */
@ApplicationScoped
public class HttpErrorRoutes {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M")
    MemorySize maxBody;

    @ConfigProperty(name = "tandem.http.max-uri-length", defaultValue = "8192")
    int maxUriLength;

    void install(@Observes Router router) {
        // Ahead of the body handler: a declared length over the absolute limit gets a problem, not a bare 413.
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String uri = ctx.request().uri();
            if (uri.length() > maxUriLength) {
                write(
                        ctx,
                        Problem.of(
                                        414,
                                        "uri-too-long",
                                        "Request address too long",
                                        "The request's path and query are longer than " + maxUriLength
                                                + " characters (limit uri-length).")
                                .withLimit("uri-length", maxUriLength));
                return;
            }
            if (hasNul(uri)) {
                // PostgreSQL text cannot hold NUL, and no Tandem value contains one
                write(
                        ctx,
                        Problem.of(
                                400,
                                "invalid-characters",
                                "The request is not valid",
                                "The request's path or query contains a NUL character (%00)."));
                return;
            }
            String length = ctx.request().getHeader("Content-Length");
            if (length != null) {
                try {
                    if (Long.parseLong(length.trim()) > maxBody.asLongValue()) {
                        write(ctx, tooLarge(maxBody.asLongValue()));
                        return;
                    }
                } catch (NumberFormatException e) {
                    write(
                            ctx,
                            Problem.of(
                                    400,
                                    "bad-content-length",
                                    "The request is not valid",
                                    "The Content-Length header is not a number."));
                    return;
                }
            }
            ctx.next();
        });
        router.errorHandler(413, ctx -> write(ctx, tooLarge(maxBody.asLongValue())));
    }

    static boolean hasNul(String uri) {
        for (int i = uri.indexOf('%'); i >= 0 && i + 2 < uri.length(); i = uri.indexOf('%', i + 1)) {
            if (uri.charAt(i + 1) == '0' && uri.charAt(i + 2) == '0') {
                return true;
            }
        }
        return uri.indexOf('\0') >= 0;
    }

    /** Over the absolute ceiling, {@code quarkus.http.limits.max-body-size}: the same limit as {@code BodySizeFilter}'s. */
    private static Problem tooLarge(long max) {
        return Problem.of(
                        413,
                        "payload-too-large",
                        "Request too large",
                        "The request body is larger than Tandem accepts: at most " + max + " bytes (limit body-size).")
                .withLimit("body-size", max);
    }

    private static void write(RoutingContext ctx, Problem problem) {
        if (ctx.response().headWritten()) {
            return;
        }
        ctx.response()
                .setStatusCode(problem.status())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(Json.encode(problem));
    }
}
