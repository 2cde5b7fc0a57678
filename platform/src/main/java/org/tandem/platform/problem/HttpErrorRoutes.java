package org.tandem.platform.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Errors that the HTTP layer raises before a request reaches a resource, such as a body over the
 * absolute size limit, answer with problem+json too.
 */
@ApplicationScoped
public class HttpErrorRoutes {

    void install(@Observes Router router) {
        router.errorHandler(413, ctx -> write(ctx, Problem.of(413, "payload-too-large", "Request too large",
                "The request body is larger than Tandem accepts.")));
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
