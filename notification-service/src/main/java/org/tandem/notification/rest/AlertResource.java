package org.tandem.notification.rest;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.tandem.notification.application.Alert;
import org.tandem.notification.application.FeedSubscription;
import org.tandem.notification.service.AlertQueries;
import org.tandem.platform.problem.PageSize;
import org.tandem.platform.problem.ProblemException;
import org.tandem.platform.ratelimit.RateLimited;
import org.tandem.platform.security.Roles;

/**
 * Alerts: a coordinator sees the network's (escalations, membership applications, failing endpoints), an
 * org-admin her organisation's (dead-lettered deliveries). As a list, and as a live Server-Sent Events feed.
 */
@RateLimited
@Path("/api/v1/alerts")
@RolesAllowed({Roles.COORDINATOR, Roles.ORG_ADMIN})
@Tag(name = "Alerts", description = "Alerts for coordinators and org-admins")
public class AlertResource {

    public static final int MAX_LIMIT = 200;
    /** Alerts a reconnecting feed reads back at most. */
    public static final int MAX_CATCH_UP = 500;

    @Inject
    AlertQueries queries;

    @Inject
    ObjectMapper json;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Alerts, newest first", description = "At most 200 per page; pass nextCursor back as cursor.")
    public Page<AlertView> list(
            @QueryParam("cursor") String cursor, @QueryParam("limit") @DefaultValue("50") int limit) {
        PageSize.check(limit, MAX_LIMIT);
        Long after = null;
        if (cursor != null) {
            try {
                after = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw ProblemException.invalidField("cursor", "must be a nextCursor from an earlier page");
            }
        }
        List<Alert> rows = queries.newestFirst(queries.audience(), after, limit);
        return new Page<>(
                rows.stream().map(this::view).toList(),
                rows.size() == limit ? Long.toString(rows.get(rows.size() - 1).seq()) : null);
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(
            summary = "A live feed of alerts (Server-Sent Events)",
            description =
                    "Each event has the alert's seq as id and its JSON as data. Reconnect with Last-Event-ID to get what you missed. "
                            + "Open feeds are bounded per organisation (429) and per service instance (503); see docs/api.md, Limits.")
    public void stream(@Context SseEventSink sink, @Context Sse sse, @HeaderParam("Last-Event-ID") String lastEventId) {
        UUID audience = queries.audience();
        Long after = null;
        if (lastEventId != null) {
            try {
                after = Long.parseLong(lastEventId.trim());
            } catch (NumberFormatException e) {
                throw ProblemException.invalidField("Last-Event-ID", "must be the id of an earlier event");
            }
        }
        // over a bound on open feeds, this refuses with a problem before the stream opens
        FeedSubscription subscription = queries.subscribe(
                audience,
                (seq, payload) -> {
                    if (sink.isClosed()) {
                        throw new IllegalStateException("closed");
                    }
                    sink.send(event(sse, seq, payload));
                },
                () -> sink.isClosed()
                        ? CompletableFuture.failedFuture(new IllegalStateException("closed"))
                        : sink.send(sse.newEventBuilder().comment("keep-alive").build()));
        try {
            // the sink tells its broadcaster when the client goes away: that frees the slot at once
            SseBroadcaster closing = sse.newBroadcaster();
            closing.onClose(s -> subscription.close());
            closing.onError((s, error) -> subscription.close());
            closing.register(sink);
            sink.send(sse.newEventBuilder().comment("tandem alerts").build());
            if (after != null) {
                for (Alert a : queries.after(audience, after, MAX_CATCH_UP)) {
                    sink.send(event(sse, a.seq(), a.payload()));
                }
            }
        } catch (RuntimeException e) {
            subscription.close();
            throw e;
        }
        if (sink.isClosed()) {
            subscription.close();
        }
    }

    private static OutboundSseEvent event(Sse sse, long seq, String payload) {
        return sse.newEventBuilder()
                .id(Long.toString(seq))
                .name("alert")
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(payload)
                .build();
    }

    private AlertView view(Alert a) {
        try {
            JsonNode body = json.readTree(a.payload());
            return new AlertView(a.seq(), a.id(), a.kind(), a.createdAt(), body.get("data"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
