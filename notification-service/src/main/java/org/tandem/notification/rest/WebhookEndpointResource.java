package org.tandem.notification.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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

import org.tandem.notification.application.Endpoint;
import org.tandem.notification.application.RegisterEndpoint;
import org.tandem.notification.application.RotateSecret;
import org.tandem.notification.service.WebhookEndpoints;
import org.tandem.platform.http.ETags;
import org.tandem.platform.idempotency.Idempotent;
import org.tandem.platform.ratelimit.RateLimited;
import org.tandem.platform.security.Roles;

/**
 * Webhook endpoints: an org-admin manages her organisation's (events about referrals it is a party to),
 * a coordinator the network's (escalations, membership, failing endpoints).
 */
@RateLimited
@Path("/api/v1/webhooks/endpoints")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ORG_ADMIN, Roles.COORDINATOR})
@Tag(name = "Webhooks", description = "Signed webhooks (Standard Webhooks) to your own systems")
public class WebhookEndpointResource {

    @Inject
    WebhookEndpoints endpoints;

    @POST
    @Idempotent(withheld = "secret")
    @Operation(
            summary = "Register an endpoint",
            description =
                    "The answer holds the signing secret; it is shown only this once. "
                            + "A retry with the same Idempotency-Key answers the same endpoint without the secret, which is not kept.")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@NotNull @Valid EndpointInput in) {
        var created = endpoints.create(new RegisterEndpoint(
                in.url(),
                in.eventTypes(),
                in.description(),
                in.secret(),
                Boolean.TRUE.equals(in.ed25519()),
                in.alertEmail()));
        Endpoint e = created.endpoint();
        return Response.created(URI.create("/api/v1/webhooks/endpoints/" + e.id()))
                .tag(ETags.tag(e.version()))
                .entity(view(e, created.secret()))
                .build();
    }

    @GET
    @Operation(summary = "Your endpoints (a coordinator: the network's)")
    public List<EndpointView> list() {
        return endpoints.list().stream().map(e -> view(e, null)).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read an endpoint")
    public Response get(@PathParam("id") UUID id) {
        Endpoint e = endpoints.get(id);
        return Response.ok(view(e, null)).tag(ETags.tag(e.version())).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(
            summary = "Disable an endpoint",
            description = "Its pending deliveries stay stored and go out when it is enabled again.")
    public Response delete(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        checkIfMatch(id, ifMatch);
        endpoints.setEnabled(id, false);
        return Response.noContent().build();
    }

    @POST
    @Idempotent
    @Path("/{id}/disable")
    @Operation(summary = "Disable an endpoint")
    public Response disable(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        checkIfMatch(id, ifMatch);
        Endpoint e = endpoints.setEnabled(id, false);
        return Response.ok(view(e, null)).tag(ETags.tag(e.version())).build();
    }

    @POST
    @Idempotent
    @Path("/{id}/enable")
    @Operation(
            summary = "Enable an endpoint",
            description = "Also after it was disabled for answering 410 Gone; waiting deliveries go out.")
    public Response enable(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        checkIfMatch(id, ifMatch);
        Endpoint e = endpoints.setEnabled(id, true);
        return Response.ok(view(e, null)).tag(ETags.tag(e.version())).build();
    }

    @POST
    @Idempotent(withheld = "secret")
    @Path("/{id}/secret-rotation")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Rotate the signing secret",
            description =
                    "The answer holds the new secret, shown only this once "
                            + "(a retry with the same Idempotency-Key answers without it). "
                            + "Until previousSecretValidUntil every delivery carries signatures with both secrets; then the old secret is erased.")
    public Response rotate(@PathParam("id") UUID id, @Valid RotationInput in, @HeaderParam("If-Match") String ifMatch) {
        checkIfMatch(id, ifMatch);
        var rotated = endpoints.rotateSecret(
                new RotateSecret(id, in == null ? null : in.secret(), in == null ? null : in.overlapSeconds()));
        Endpoint e = rotated.endpoint();
        return Response.ok(view(e, rotated.secret()))
                .tag(ETags.tag(e.version()))
                .build();
    }

    @POST
    @Idempotent
    @Path("/{id}/ed25519-key")
    @Operation(
            summary = "Make a new Ed25519 key pair",
            description = "Deliveries also carry a v1a signature; verify it with ed25519PublicKey.")
    public Response newKey(@PathParam("id") UUID id) {
        Endpoint e = endpoints.setEd25519(id, true);
        return Response.ok(view(e, null)).tag(ETags.tag(e.version())).build();
    }

    @DELETE
    @Path("/{id}/ed25519-key")
    @Operation(summary = "Stop v1a signatures")
    public Response dropKey(@PathParam("id") UUID id) {
        Endpoint e = endpoints.setEd25519(id, false);
        return Response.ok(view(e, null)).tag(ETags.tag(e.version())).build();
    }

    @POST
    @Idempotent
    @Path("/{id}/ping")
    @Operation(
            summary = "Send a test ping",
            description = "Stores a webhook.ping delivery; follow it in the delivery log.")
    public Response ping(@PathParam("id") UUID id) {
        return Response.accepted(DeliveryResource.view(endpoints.ping(id), null))
                .build();
    }

    private void checkIfMatch(UUID id, String ifMatch) {
        if (ifMatch != null) {
            ETags.requireMatch(ifMatch, endpoints.get(id).version());
        }
    }

    /** {@code secret}: the plaintext secret, only in the answer that made it; otherwise null. */
    static EndpointView view(Endpoint e, String secret) {
        return new EndpointView(
                e.id(),
                e.scope(),
                e.organisationId(),
                e.url(),
                e.eventTypes(),
                e.enabled(),
                e.disabledReason(),
                e.description(),
                e.alertEmail(),
                e.createdAt(),
                secret,
                e.previousSecretValidUntil(),
                e.ed25519PublicKey(),
                e.consecutiveFailures(),
                e.version());
    }
}
