package org.tandem.notification.rest;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.tandem.notification.delivery.EndpointUrlPolicy;
import org.tandem.notification.delivery.WebhookSigner;
import org.tandem.notification.domain.WebhookEventType;
import org.tandem.notification.persistence.WebhookEndpointEntity;
import org.tandem.platform.ratelimit.RateLimited;
import org.tandem.platform.http.ETags;
import org.tandem.platform.idempotency.Idempotent;
import org.tandem.platform.problem.ProblemException;
import org.tandem.platform.security.Caller;
import org.tandem.platform.security.Roles;

/** An organisation's webhook endpoints, managed by its org-admin. */
@RateLimited
@Path("/api/v1/webhooks/endpoints")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ORG_ADMIN)
@Tag(name = "Webhooks", description = "Signed webhooks (Standard Webhooks) to your own systems")
public class WebhookEndpointResource {

    @Inject
    Caller caller;

    @Inject
    Clock clock;

    @Inject
    EndpointUrlPolicy urlPolicy;

    @POST
    @Idempotent
    @Transactional
    @Operation(summary = "Register an endpoint", description = "The answer holds the signing secret; it is shown only this once.")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@NotNull @Valid EndpointInput in) {
        UUID own = caller.requireOrganisation();
        urlPolicy.check(in.url());
        for (String type : in.eventTypes()) {
            if (!type.equals("*") && WebhookEventType.ofWireName(type).isEmpty()) {
                throw ProblemException.invalidField("eventTypes", "contains '" + type + "', which is not an event type");
            }
        }
        Instant now = clock.instant();
        var e = new WebhookEndpointEntity();
        e.id = UUID.randomUUID();
        e.organisationId = own;
        e.url = in.url();
        e.eventTypes = in.eventTypes().stream().sorted().toArray(String[]::new);
        e.secret = WebhookSigner.newSecret();
        e.enabled = true;
        e.description = in.description();
        e.createdAt = now;
        e.updatedAt = now;
        e.createdBy = caller.subject();
        e.persistAndFlush();
        return Response.created(URI.create("/api/v1/webhooks/endpoints/" + e.id)).tag(ETags.tag(e.version))
                .entity(view(e, true)).build();
    }

    @GET
    @Operation(summary = "Your organisation's endpoints")
    public List<EndpointView> list() {
        UUID own = caller.requireOrganisation();
        return WebhookEndpointEntity.<WebhookEndpointEntity>list("organisationId = ?1 order by createdAt", own).stream()
                .map(e -> view(e, false)).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read an endpoint")
    public Response get(@PathParam("id") UUID id) {
        WebhookEndpointEntity e = own(id);
        return Response.ok(view(e, false)).tag(ETags.tag(e.version)).build();
    }

    @DELETE
    @Path("/{id}")
    @Transactional
    @Operation(summary = "Disable an endpoint", description = "Its pending deliveries stay stored and can be replayed.")
    public Response disable(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        WebhookEndpointEntity e = own(id);
        if (ifMatch != null) {
            ETags.requireMatch(ifMatch, e.version);
        }
        e.enabled = false;
        e.updatedAt = clock.instant();
        return Response.noContent().build();
    }

    private WebhookEndpointEntity own(UUID id) {
        UUID org = caller.requireOrganisation();
        WebhookEndpointEntity e = WebhookEndpointEntity.findById(id);
        if (e == null || !org.equals(e.organisationId)) {
            throw ProblemException.notFound("webhook endpoint");
        }
        return e;
    }

    static EndpointView view(WebhookEndpointEntity e, boolean withSecret) {
        return new EndpointView(e.id, e.organisationId, e.url, List.of(e.eventTypes), e.enabled, e.description, e.createdAt,
                withSecret ? e.secret : null, e.version);
    }
}
