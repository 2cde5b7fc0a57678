package org.tandem.platform.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.tandem.platform.problem.Problem;
import org.tandem.platform.problem.ProblemException;

/**
 * Every input has a limit (docs/design.md §4.4). Bodies are checked against the resource's limit before they are
 * read; {@code quarkus.http.limits.max-body-size} is the absolute ceiling for bodies without a length.
 */
public class BodySizeFilter {

    @ConfigProperty(name = "tandem.http.max-body-bytes", defaultValue = "65536")
    long defaultLimit;

    @ServerRequestFilter(preMatching = false)
    public void check(ContainerRequestContext request, ResourceInfo resource) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return;
        }
        long limit = limitFor(resource);
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("bad-content-length", "The Content-Length header is not a number.");
        }
        if (declared > limit) {
            throw new ProblemException(Problem.of(413, "payload-too-large", "Request too large",
                    "This request accepts at most " + limit + " bytes; it declared " + declared + "."));
        }
    }

    private long limitFor(ResourceInfo resource) {
        if (resource == null || resource.getResourceMethod() == null) {
            return defaultLimit;
        }
        MaxBodySize onMethod = resource.getResourceMethod().getAnnotation(MaxBodySize.class);
        if (onMethod != null) {
            return onMethod.bytes();
        }
        MaxBodySize onClass = resource.getResourceClass().getAnnotation(MaxBodySize.class);
        return onClass != null ? onClass.bytes() : defaultLimit;
    }
}
