package org.tandem.platform.tracing;

import java.util.Set;

/**
 * Which span attributes may leave a service with their value: keys whose values are codes, numbers or opaque
 * ids, never free text from a person. {@link RedactingSpanProcessor} replaces the value of every other key.
 * Kept free of OpenTelemetry types, so that tests can check exported spans against it.
 */
public final class SpanAttributePolicy {

    public static final String REDACTED = "redacted";

    /** Attribute keys whose values are codes, numbers or opaque ids, never free text from a person. */
    public static final Set<String> ALLOWED = Set.of(
            "http.request.method",
            "http.route",
            "http.response.status_code",
            "url.scheme",
            "server.address",
            "server.port",
            "network.protocol.name",
            "network.protocol.version",
            "error.type",
            "code.function",
            "code.namespace",
            "code.function.name",
            "messaging.system",
            "messaging.operation",
            "messaging.operation.type",
            "messaging.operation.name",
            "messaging.destination.name",
            "messaging.destination.partition.id",
            "messaging.consumer.group.name",
            "messaging.kafka.consumer.group",
            "messaging.kafka.destination.partition",
            "messaging.kafka.message.offset",
            "messaging.kafka.offset",
            "messaging.kafka.message.key",
            "messaging.client_id",
            "messaging.client.id",
            "messaging.message.body.size",
            "messaging.batch.message_count",
            // numbers the HTTP instrumentation adds when a span ends, and the Apicurio (Kiota) client's request type
            "http.request.body.size",
            "http.response.body.size",
            "com.microsoft.kiota.request.type",
            "tandem.event.type",
            "tandem.event.id",
            "tandem.delivery.id",
            "tandem.endpoint.id",
            "tandem.webhook.attempt",
            "tandem.webhook.outcome",
            "tandem.webhook.event_type");

    private SpanAttributePolicy() {}
}
