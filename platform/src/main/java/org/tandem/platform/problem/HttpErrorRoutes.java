package org.tandem.platform.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Errors that the HTTP layer raises before a request reaches a resource, such as a body over the
 * absolute size limit, answer with problem+json too.
 */
@ApplicationScoped
public class HttpErrorRoutes {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10M")
    MemorySize maxBody;

    void install(@Observes Router router) {
        // Ahead of the body handler: a declared length over the absolute limit gets a problem, not a bare 413.
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null) {
                try {
                    if (Long.parseLong(length.trim()) > maxBody.asLongValue()) {
                        write(ctx, tooLarge());
                        return;
                    }
                } catch (NumberFormatException e) {
                    write(ctx, Problem.of(400, "bad-content-length", "The request is not valid", "The Content-Length header is not a number."));
                    return;
                }
            }
            ctx.next();
        });
        router.errorHandler(413, ctx -> write(ctx, tooLarge()));
    }

    private static Problem tooLarge() {
        return Problem.of(413, "payload-too-large", "Request too large", "The request body is larger than Tandem accepts.");
    }

    private static void write(RoutingContext ctx, Problem problem) {
        if (ctx.response().headWritten()) {
            return;
        }
        ctx.response().setStatusCode(problem.status())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(Json.encode(problem));
    }
}
