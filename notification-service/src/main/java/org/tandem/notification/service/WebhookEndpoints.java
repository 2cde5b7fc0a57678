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
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tandem.notification.delivery.DeliveryQueue;
import org.tandem.notification.delivery.EndpointUrlPolicy;
import org.tandem.notification.delivery.WebhookSigner;
import org.tandem.notification.domain.WebhookEventType;
import org.tandem.notification.persistence.WebhookDeliveryEntity;
import org.tandem.notification.persistence.WebhookEndpointEntity;
import org.tandem.notification.secrets.WebhookSecrets;
import org.tandem.platform.audit.AuditLog;
import org.tandem.platform.problem.ProblemException;
import org.tandem.platform.security.Caller;

/**
 * Webhook endpoints and their deliveries, as their owner sees them: an org-admin her organisation's
 * endpoints, a coordinator the network's. Anyone else's endpoint is answered with the same 404 as a missing
 * one.
 */
@ApplicationScoped
public class WebhookEndpoints {

    /** Most deliveries one bulk replay of dead letters stores. */
    public static final int MAX_BULK_REPLAY = 500;

    @Inject
    Caller caller;

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
        throw ProblemException.forbidden("Your account does not belong to an organisation of the network, so it cannot do this.");
    }

    private record Owner(UUID organisationId, String scope) {
        boolean owns(WebhookEndpointEntity e) {
            return scope.equals(e.scope) && java.util.Objects.equals(organisationId, e.organisationId);
        }
    }

    /** An endpoint and its secret in plaintext, for the one answer that shows it. */
    public record WithSecret(WebhookEndpointEntity endpoint, String secret) {
    }

    @Transactional
    public WithSecret create(String url, Set<String> eventTypes, String description, String secret, boolean ed25519,
            String alertEmail) {
        Owner owner = owner();
        urlPolicy.check(url);
        checkTypes(eventTypes, owner.scope().equals(WebhookEndpointEntity.NETWORK));
        if (secret != null && !WebhookSigner.isValidSecret(secret)) {
            throw ProblemException.invalidField("secret", "must be whsec_ followed by the base64 of 24 to 64 bytes");
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
        if (ed25519) {
            String[] pair = WebhookSigner.newEd25519KeyPair();
            secrets.setEd25519PrivateKey(e, pair[0]);
            e.ed25519PublicKey = pair[1];
        }
        e.enabled = true;
        e.description = description;
        e.alertEmail = alertEmail;
        e.createdAt = now;
        e.updatedAt = now;
        e.createdBy = caller.subject();
        e.persistAndFlush();
        audit.allowed("webhook-endpoint.create", "webhook-endpoint", e.id, e.organisationId);
        return new WithSecret(e, plain);
    }

    private static void checkTypes(Set<String> types, boolean network) {
        for (String type : types) {
            if (type.equals("*")) {
                continue;
            }
            var known = WebhookEventType.ofWireName(type);
            if (known.isEmpty()) {
                throw ProblemException.invalidField("eventTypes", "contains '" + type + "', which is not an event type");
            }
            if (!known.get().availableTo(network)) {
                throw ProblemException.invalidField("eventTypes", "contains '" + type + "', which "
                        + (network ? "only organisations' endpoints receive" : "only the coordinators' endpoints receive"));
            }
        }
    }

    public List<WebhookEndpointEntity> list() {
        Owner owner = owner();
        if (owner.organisationId() == null) {
            return WebhookEndpointEntity.list("scope = ?1 order by createdAt", WebhookEndpointEntity.NETWORK);
        }
        return WebhookEndpointEntity.list("organisationId = ?1 order by createdAt", owner.organisationId());
    }

    public WebhookEndpointEntity get(UUID id) {
        Owner owner = owner();
        WebhookEndpointEntity e = WebhookEndpointEntity.findById(id);
        if (e == null || !owner.owns(e)) {
            if (e != null) { // another owner's endpoint: the same 404, and an audited refusal
                audit.denied("webhook-endpoint.access", "webhook-endpoint", id, e.organisationId, owner.organisationId());
            }
            throw ProblemException.notFound("webhook endpoint");
        }
        return e;
    }

    @Transactional
    public WebhookEndpointEntity setEnabled(UUID id, boolean enabled) {
        WebhookEndpointEntity e = get(id);
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
        return e;
    }

    /**
     * A new secret; the old one signs too until the overlap ends, and is then erased
     * ({@link org.tandem.notification.secrets.PreviousSecretEraser}). Returns the endpoint with the new secret.
     */
    @Transactional
    public WithSecret rotateSecret(UUID id, String secret, Long overlapSeconds) {
        WebhookEndpointEntity e = get(id);
        if (secret != null && !WebhookSigner.isValidSecret(secret)) {
            throw ProblemException.invalidField("secret", "must be whsec_ followed by the base64 of 24 to 64 bytes");
        }
        Instant now = clock.instant();
        String plain = secret != null ? secret : WebhookSigner.newSecret();
        secrets.rotate(e, plain, now.plus(overlapSeconds == null ? defaultOverlap : Duration.ofSeconds(overlapSeconds)));
        e.updatedAt = now;
        audit.allowed("webhook-endpoint.secret-rotation", "webhook-endpoint", e.id, e.organisationId);
        return new WithSecret(e, plain);
    }

    /** A new Ed25519 key pair (or none): v1a signatures from now on. */
    @Transactional
    public WebhookEndpointEntity setEd25519(UUID id, boolean on) {
        WebhookEndpointEntity e = get(id);
        if (on) {
            String[] pair = WebhookSigner.newEd25519KeyPair();
            secrets.setEd25519PrivateKey(e, pair[0]);
            e.ed25519PublicKey = pair[1];
        } else {
            e.ed25519PrivateKeySealed = null;
            e.ed25519PublicKey = null;
        }
        e.updatedAt = clock.instant();
        return e;
    }

    /** Stores a {@code webhook.ping} delivery to the endpoint (also when it is disabled: it waits then). */
    @Transactional
    public WebhookDeliveryEntity ping(UUID id) {
        WebhookEndpointEntity e = get(id);
        String pingId = UUID.randomUUID().toString();
        Instant now = clock.instant();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("eventId", pingId);
        data.put("endpointId", e.id.toString());
        data.put("occurredAt", now.toString());
        queue.enqueue(List.of(e), WebhookEventType.PING, pingId, "ping:" + pingId,
                queue.payload(WebhookEventType.PING, now, data));
        return WebhookDeliveryEntity.find("endpointId = ?1 and eventId = ?2", e.id, pingId).firstResult();
    }

    /** Deliveries of one endpoint, newest first, optionally of one status; {@code cursor} is the last seq seen. */
    public List<WebhookDeliveryEntity> deliveries(UUID endpointId, String status, Long cursor, int limit) {
        get(endpointId);
        StringBuilder q = new StringBuilder("endpointId = :endpoint");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("endpoint", endpointId);
        if (status != null) {
            q.append(" and status = :status");
            params.put("status", status);
        }
        if (cursor != null) {
            q.append(" and seq < :cursor");
            params.put("cursor", cursor);
        }
        return WebhookDeliveryEntity.<WebhookDeliveryEntity>find(q + " order by seq desc", params).page(0, limit).list();
    }

    public WebhookDeliveryEntity delivery(UUID endpointId, UUID deliveryId) {
        get(endpointId);
        WebhookDeliveryEntity d = WebhookDeliveryEntity.find("id", deliveryId).firstResult();
        if (d == null || !d.endpointId.equals(endpointId)) {
            throw ProblemException.notFound("webhook delivery");
        }
        return d;
    }

    public List<org.tandem.notification.persistence.WebhookAttemptEntity> attempts(UUID endpointId, UUID deliveryId, Long cursor,
            int limit) {
        get(endpointId);
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
        return org.tandem.notification.persistence.WebhookAttemptEntity
                .<org.tandem.notification.persistence.WebhookAttemptEntity>find(q + " order by id desc", params).page(0, limit).list();
    }

    /** Sends a past delivery (delivered or dead) again, as a new delivery with a new webhook-id. */
    @Transactional
    public WebhookDeliveryEntity replay(UUID endpointId, UUID deliveryId) {
        WebhookDeliveryEntity d = delivery(endpointId, deliveryId);
        if (WebhookDeliveryEntity.PENDING.equals(d.status)) {
            throw ProblemException.conflict("delivery-pending", "This delivery is still being attempted; it cannot be replayed yet.");
        }
        audit.allowed("webhook-delivery.replay", "webhook-delivery", d.id, get(endpointId).organisationId);
        return queue.replay(d);
    }

    /** Replays every dead letter of the endpoint that has not been replayed yet, oldest first. */
    @Transactional
    public int replayDeadLetters(UUID endpointId) {
        WebhookEndpointEntity endpoint = get(endpointId);
        List<WebhookDeliveryEntity> dead = WebhookDeliveryEntity.<WebhookDeliveryEntity>find(
                "from WebhookDeliveryEntity d where d.endpointId = ?1 and d.status = ?2"
                        + " and not exists (select 1 from WebhookDeliveryEntity r where r.replayOf = d.id) order by d.seq",
                endpointId, WebhookDeliveryEntity.DEAD).page(0, MAX_BULK_REPLAY).list();
        dead.forEach(queue::replay);
        audit.allowed("webhook-endpoint.dead-letters-replay", "webhook-endpoint", endpointId, endpoint.organisationId);
        return dead.size();
    }
}
