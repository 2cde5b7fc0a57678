package org.tandem.notification.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.tandem.notification.application.Attempt;
import org.tandem.notification.application.AttemptQuery;
import org.tandem.notification.application.Delivery;
import org.tandem.notification.application.DeliveryQuery;
import org.tandem.notification.application.Endpoint;
import org.tandem.notification.application.EndpointWithSecret;
import org.tandem.notification.application.RegisterEndpoint;
import org.tandem.notification.application.RotateSecret;
import org.tandem.notification.delivery.DeliveryQueue;
import org.tandem.notification.delivery.EndpointUrlPolicy;
import org.tandem.notification.delivery.WebhookSigner;
import org.tandem.notification.domain.Refusal;
import org.tandem.notification.domain.WebhookEventType;
import org.tandem.notification.persistence.WebhookAttemptEntity;
import org.tandem.notification.persistence.WebhookDeliveryEntity;
import org.tandem.notification.persistence.WebhookEndpointEntity;
import org.tandem.notification.secrets.WebhookSecrets;
import org.tandem.platform.audit.AuditLog;
import org.tandem.platform.security.Caller;

/**
 * Webhook endpoints and their deliveries, as their owner sees them: an org-admin her organisation's
 * endpoints, a coordinator the network's. Anyone else's endpoint is answered with the same 404 as a missing
 * one.
 */
@ApplicationScoped
public class WebhookEndpoints {

    private static final String INVALID_SECRET = "must be whsec_ followed by the base64 of 24 to 64 bytes";

    /** Most deliveries one bulk replay of dead letters stores. */
    public static final int MAX_BULK_REPLAY = 500;

    @Inject
    Caller caller;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    EndpointUrlPolicy urlPolicy;

    @Inject
    DeliveryQueue queue;

    @Inject
    WebhookSecrets secrets;

    @Inject
    EndpointLimit limit;

    @Inject
    AuditLog audit;

    @ConfigProperty(name = "tandem.webhooks.rotation-overlap", defaultValue = "PT24H")
    Duration defaultOverlap;

    /** The owner of endpoints the caller manages: her organisation, or null for a coordinator (network). */
    private Owner owner() {
        var org = caller.organisationId();
        if (org.isPresent()) {
            return new Owner(org.get(), WebhookEndpointEntity.ORGANISATION);
        }
        if (caller.isCoordinator()) {
            return new Owner(null, WebhookEndpointEntity.NETWORK);
        }
        throw new Refusal.NoOrganisation();
    }

    private record Owner(UUID organisationId, String scope) {
        boolean owns(WebhookEndpointEntity e) {
            return scope.equals(e.scope) && java.util.Objects.equals(organisationId, e.organisationId);
        }
    }

    @Transactional
    public EndpointWithSecret create(RegisterEndpoint command) {
        String url = command.url();
        Set<String> eventTypes = command.eventTypes();
        String secret = command.secret();
        Owner owner = owner();
        urlPolicy.check(url);
        checkTypes(eventTypes, owner.scope().equals(WebhookEndpointEntity.NETWORK));
        if (secret != null && !WebhookSigner.isValidSecret(secret)) {
            throw new Refusal.InvalidField("secret", INVALID_SECRET);
        }
        limit.checkRoomForOneMore(owner.organisationId(), owner.scope());
        Instant now = clock.instant();
        var e = new WebhookEndpointEntity();
        e.id = UUID.randomUUID();
        e.organisationId = owner.organisationId();
        e.scope = owner.scope();
        e.url = url;
        e.eventTypes = eventTypes.stream().sorted().toArray(String[]::new);
        String plain = secret != null ? secret : WebhookSigner.newSecret();
        secrets.setSecret(e, plain);
        if (command.ed25519()) {
            String[] pair = WebhookSigner.newEd25519KeyPair();
            secrets.setEd25519PrivateKey(e, pair[0]);
            e.ed25519PublicKey = pair[1];
        }
        e.enabled = true;
        e.description = command.description();
        e.alertEmail = command.alertEmail();
        e.createdAt = now;
        e.updatedAt = now;
        e.createdBy = caller.subject();
        e.persistAndFlush();
        audit.allowed("webhook-endpoint.create", "webhook-endpoint", e.id, e.organisationId);
        return new EndpointWithSecret(Results.endpoint(e), plain);
    }

    private static void checkTypes(Set<String> types, boolean network) {
        for (String type : types) {
            if (type.equals("*")) {
                continue;
            }
            var known = WebhookEventType.ofWireName(type);
            if (known.isEmpty()) {
                throw new Refusal.InvalidField("eventTypes", "contains '" + type + "', which is not an event type");
            }
            if (!known.get().availableTo(network)) {
                throw new Refusal.InvalidField(
                        "eventTypes",
                        "contains '" + type + "', which "
                                + (network
                                        ? "only organisations' endpoints receive"
                                        : "only the coordinators' endpoints receive"));
            }
        }
    }

    public List<Endpoint> list() {
        Owner owner = owner();
        List<WebhookEndpointEntity> found = owner.organisationId() == null
                ? WebhookEndpointEntity.list("scope = ?1 order by createdAt", WebhookEndpointEntity.NETWORK)
                : WebhookEndpointEntity.list("organisationId = ?1 order by createdAt", owner.organisationId());
        return found.stream().map(Results::endpoint).toList();
    }

    public Endpoint get(UUID id) {
        return Results.endpoint(owned(id));
    }

    /** The caller's endpoint; anyone else's is refused as if it did not exist. */
    private WebhookEndpointEntity owned(UUID id) {
        Owner owner = owner();
        WebhookEndpointEntity e = WebhookEndpointEntity.findById(id);
        if (e == null || !owner.owns(e)) {
            if (e != null) { // another owner's endpoint: the same 404, and an audited refusal
                audit.denied(
                        "webhook-endpoint.access", "webhook-endpoint", id, e.organisationId, owner.organisationId());
            }
            throw new Refusal.NotFound(Refusal.Thing.WEBHOOK_ENDPOINT);
        }
        return e;
    }

    /** The endpoint after a change, with the version that the commit gives it (the ETag of the answer). */
    private Endpoint changed(WebhookEndpointEntity e) {
        em.flush();
        return Results.endpoint(e);
    }

    @Transactional
    public Endpoint setEnabled(UUID id, boolean enabled) {
        WebhookEndpointEntity e = owned(id);
        if (enabled && !e.enabled) {
            limit.checkRoomForOneMore(e.organisationId, e.scope);
        }
        e.enabled = enabled;
        e.disabledReason = enabled ? null : "DISABLED_BY_ADMIN";
        if (enabled) {
            e.consecutiveFailures = 0;
            e.failingAlerted = false;
        }
        e.updatedAt = clock.instant();
        return changed(e);
    }

    /**
     * A new secret; the old one signs too until the overlap ends, and is then erased
     * ({@link org.tandem.notification.secrets.PreviousSecretEraser}). Returns the endpoint with the new secret.
     */
    @Transactional
    public EndpointWithSecret rotateSecret(RotateSecret command) {
        WebhookEndpointEntity e = owned(command.endpointId());
        String secret = command.secret();
        Long overlapSeconds = command.overlapSeconds();
        if (secret != null && !WebhookSigner.isValidSecret(secret)) {
            throw new Refusal.InvalidField("secret", INVALID_SECRET);
        }
        Instant now = clock.instant();
        String plain = secret != null ? secret : WebhookSigner.newSecret();
        secrets.rotate(
                e, plain, now.plus(overlapSeconds == null ? defaultOverlap : Duration.ofSeconds(overlapSeconds)));
        e.updatedAt = now;
        audit.allowed("webhook-endpoint.secret-rotation", "webhook-endpoint", e.id, e.organisationId);
        return new EndpointWithSecret(changed(e), plain);
    }

    /** A new Ed25519 key pair (or none): v1a signatures from now on. */
    @Transactional
    public Endpoint setEd25519(UUID id, boolean on) {
        WebhookEndpointEntity e = owned(id);
        if (on) {
            String[] pair = WebhookSigner.newEd25519KeyPair();
            secrets.setEd25519PrivateKey(e, pair[0]);
            e.ed25519PublicKey = pair[1];
        } else {
            e.ed25519PrivateKeySealed = null;
            e.ed25519PublicKey = null;
        }
        e.updatedAt = clock.instant();
        return changed(e);
    }

    /** Stores a {@code webhook.ping} delivery to the endpoint (also when it is disabled: it waits then). */
    @Transactional
    public Delivery ping(UUID id) {
        WebhookEndpointEntity e = owned(id);
        String pingId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("eventId", pingId);
        data.put("endpointId", e.id.toString());
        data.put("occurredAt", now.toString());
        queue.enqueue(
                List.of(e.id),
                WebhookEventType.PING,
                pingId,
                "ping:" + pingId,
                queue.payload(WebhookEventType.PING, now, data));
        return Results.delivery(
                WebhookDeliveryEntity.<WebhookDeliveryEntity>find("endpointId = ?1 and eventId = ?2", e.id, pingId)
                        .firstResult());
    }

    /** Deliveries of one endpoint, newest first, optionally of one status; the cursor is the last seq seen. */
    public List<Delivery> deliveries(DeliveryQuery query) {
        owned(query.endpointId());
        StringBuilder q = new StringBuilder("endpointId = :endpoint");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("endpoint", query.endpointId());
        if (query.status() != null) {
            q.append(" and status = :status");
            params.put("status", query.status().name());
        }
        if (query.cursor() != null) {
            q.append(" and seq < :cursor");
            params.put("cursor", query.cursor());
        }
        return WebhookDeliveryEntity.<WebhookDeliveryEntity>find(q + " order by seq desc", params)
                .page(0, query.limit())
                .list()
                .stream()
                .map(Results::delivery)
                .toList();
    }

    public Delivery delivery(UUID endpointId, UUID deliveryId) {
        return Results.delivery(ownedDelivery(endpointId, deliveryId));
    }

    private WebhookDeliveryEntity ownedDelivery(UUID endpointId, UUID deliveryId) {
        owned(endpointId);
        WebhookDeliveryEntity d = WebhookDeliveryEntity.find("id", deliveryId).firstResult();
        if (d == null || !d.endpointId.equals(endpointId)) {
            throw new Refusal.NotFound(Refusal.Thing.WEBHOOK_DELIVERY);
        }
        return d;
    }

    /** The attempt log of one endpoint, newest first, optionally of one delivery; the cursor is the last id seen. */
    public List<Attempt> attempts(AttemptQuery query) {
        UUID endpointId = query.endpointId();
        UUID deliveryId = query.deliveryId();
        Long cursor = query.cursor();
        owned(endpointId);
        StringBuilder q = new StringBuilder("endpointId = :endpoint");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("endpoint", endpointId);
        if (deliveryId != null) {
            q.append(" and deliveryId = :delivery");
            params.put("delivery", deliveryId);
        }
        if (cursor != null) {
            q.append(" and id < :cursor");
            params.put("cursor", cursor);
        }
        return WebhookAttemptEntity.<WebhookAttemptEntity>find(q + " order by id desc", params)
                .page(0, query.limit())
                .list()
                .stream()
                .map(Results::attempt)
                .toList();
    }

    /** Sends a past delivery (delivered or dead) again, as a new delivery with a new webhook-id. */
    @Transactional
    public Delivery replay(UUID endpointId, UUID deliveryId) {
        WebhookDeliveryEntity d = ownedDelivery(endpointId, deliveryId);
        if (WebhookDeliveryEntity.PENDING.equals(d.status)) {
            throw new Refusal.DeliveryPending();
        }
        audit.allowed("webhook-delivery.replay", "webhook-delivery", d.id, owned(endpointId).organisationId);
        return Results.delivery(queue.replay(d));
    }

    /** Replays every dead letter of the endpoint that has not been replayed yet, oldest first. */
    @Transactional
    public int replayDeadLetters(UUID endpointId) {
        WebhookEndpointEntity endpoint = owned(endpointId);
        List<WebhookDeliveryEntity> dead = WebhookDeliveryEntity.<WebhookDeliveryEntity>find(
                        "from WebhookDeliveryEntity d where d.endpointId = ?1 and d.status = ?2"
                                + " and not exists (select 1 from WebhookDeliveryEntity r where r.replayOf = d.id) order by d.seq",
                        endpointId,
                        WebhookDeliveryEntity.DEAD)
                .page(0, MAX_BULK_REPLAY)
                .list();
        dead.forEach(queue::replay);
        audit.allowed("webhook-endpoint.dead-letters-replay", "webhook-endpoint", endpointId, endpoint.organisationId);
        return dead.size();
    }
}
