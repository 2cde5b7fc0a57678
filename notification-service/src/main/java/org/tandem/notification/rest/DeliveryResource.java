package org.tandem.notification.rest;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.tandem.notification.application.Attempt;
import org.tandem.notification.application.AttemptQuery;
import org.tandem.notification.application.Delivery;
import org.tandem.notification.application.DeliveryQuery;
import org.tandem.notification.domain.DeliveryStatus;
import org.tandem.notification.service.WebhookEndpoints;
import org.tandem.platform.idempotency.Idempotent;
import org.tandem.platform.problem.PageSize;
import org.tandem.platform.problem.ProblemException;
import org.tandem.platform.ratelimit.RateLimited;
import org.tandem.platform.security.Roles;

/** The delivery log of one endpoint, its dead letters, and replays. */
@RateLimited
@Path("/api/v1/webhooks/endpoints/{endpointId}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ORG_ADMIN, Roles.COORDINATOR})
@Tag(name = "Webhooks")
public class DeliveryResource {

    public static final int MAX_LIMIT = 200;
    private static final List<String> STATUSES =
            java.util.Arrays.stream(DeliveryStatus.values()).map(Enum::name).toList();

    @Inject
    WebhookEndpoints endpoints;

    @GET
    @Path("/deliveries")
    @Operation(
            summary = "Deliveries, newest first",
            description = "status=DEAD lists the dead letters. At most 200 per page.")
    public Page<DeliveryView> deliveries(
            @PathParam("endpointId") UUID endpointId,
            @QueryParam("status") String status,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.invalidField("status", "must be one of " + String.join(", ", STATUSES));
        }
        int n = limit(limit);
        List<Delivery> rows = endpoints.deliveries(new DeliveryQuery(
                endpointId, status == null ? null : DeliveryStatus.valueOf(status), cursor(cursor), n));
        return new Page<>(
                rows.stream().map(d -> view(d, null)).toList(),
                rows.size() == n ? Long.toString(rows.get(rows.size() - 1).seq()) : null);
    }

    @GET
    @Path("/deliveries/{deliveryId}")
    @Operation(summary = "One delivery with every attempt")
    public DeliveryView delivery(@PathParam("endpointId") UUID endpointId, @PathParam("deliveryId") UUID deliveryId) {
        Delivery d = endpoints.delivery(endpointId, deliveryId);
        return view(
                d,
                endpoints.attempts(new AttemptQuery(endpointId, deliveryId, null, MAX_LIMIT)).stream()
                        .map(DeliveryResource::attempt)
                        .toList());
    }

    @GET
    @Path("/attempts")
    @Operation(
            summary = "The attempt log: status codes and latency, newest first",
            description = "At most 200 per page.")
    public Page<AttemptView> attempts(
            @PathParam("endpointId") UUID endpointId,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") int limit) {
        int n = limit(limit);
        List<Attempt> rows = endpoints.attempts(new AttemptQuery(endpointId, null, cursor(cursor), n));
        return new Page<>(
                rows.stream().map(DeliveryResource::attempt).toList(),
                rows.size() == n ? Long.toString(rows.get(rows.size() - 1).id()) : null);
    }

    @POST
    @Idempotent
    @Path("/deliveries/{deliveryId}/replay")
    @Operation(
            summary = "Send a past delivery again",
            description = "A new delivery with the same payload and a new webhook-id.")
    public Response replay(@PathParam("endpointId") UUID endpointId, @PathParam("deliveryId") UUID deliveryId) {
        return Response.accepted(view(endpoints.replay(endpointId, deliveryId), null))
                .build();
    }

    @POST
    @Idempotent
    @Path("/dead-letters/replay")
    @Operation(
            summary = "Send every dead letter again",
            description = "Those not replayed yet, oldest first, at most 500 at a time.")
    public Response replayDeadLetters(@PathParam("endpointId") UUID endpointId) {
        return Response.accepted(Map.of("replayed", endpoints.replayDeadLetters(endpointId)))
                .build();
    }

    private static int limit(int limit) {
        return PageSize.check(limit, MAX_LIMIT);
    }

    private static Long cursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("cursor", "must be a nextCursor from an earlier page");
        }
    }

    static DeliveryView view(Delivery d, List<AttemptView> attempts) {
        return new DeliveryView(
                d.id(),
                d.endpointId(),
                d.eventId(),
                d.eventType(),
                d.status().name(),
                d.attempts(),
                d.lastStatusCode(),
                d.lastError(),
                d.createdAt(),
                d.nextAttemptAt(),
                d.deliveredAt(),
                d.deadAt(),
                d.replayOf(),
                attempts);
    }

    static AttemptView attempt(Attempt a) {
        return new AttemptView(a.deliveryId(), a.attempt(), a.attemptedAt(), a.statusCode(), a.error(), a.latencyMs());
    }
}
