package org.tandem.platform.audit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import io.quarkus.runtime.BlockingOperationControl;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import org.tandem.platform.security.Caller;

/**
 * Every 403 answered to a signed-in caller is an audited refusal ({@code request.forbidden}), unless the service
 * already wrote a more precise one for the request (a 404 on another organisation's id is written where the service
 * knows whose id it is). Rate-limited per subject like every refusal ({@link AuditLog#denied}). The resource is the
 * method and path with ids as {@code {id}}; the first id of the path is the resource id.
 */
public class RefusalAudit {

    private static final Pattern UUID_IN_PATH =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final int MAX_PATH = 200;

    @Inject
    AuditLog audit;

    @Inject
    Caller caller;

    @ServerResponseFilter
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() != 403 || DeniedMarker.marked() || !caller.isAuthenticated()) {
            return;
        }
        String path = request.getUriInfo().getPath();
        Matcher m = UUID_IN_PATH.matcher(path);
        String id = m.find() ? m.group() : null;
        String shape = UUID_IN_PATH.matcher(path).replaceAll("{id}");
        if (shape.length() > MAX_PATH) {
            shape = shape.substring(0, MAX_PATH);
        }
        String subject = caller.subject();
        java.util.UUID org = caller.organisationId().orElse(null);
        String type = request.getMethod() + " " + shape;
        if (BlockingOperationControl.isBlockingAllowed()) {
            audit.deniedAs(subject, org, "request.forbidden", type, id);
        } else { // a role check refused on the event loop: write it on a worker thread
            Infrastructure.getDefaultWorkerPool()
                    .execute(() -> audit.deniedAs(subject, org, "request.forbidden", type, id));
        }
    }
}
