package org.tandem.platform.inbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.tandem.events.EventCatalog;
import org.tandem.events.EventRecords;
import org.tandem.platform.tracing.TraceParents;

/**
 * The template of every Kafka consumer in Tandem: in ONE transaction, decode the record's value into its
 * generated event class, record the event id in the {@link Inbox} and apply the event's effect. A tombstone,
 * an event of a type the consumer does not take and an event it already applied are skipped; the transaction
 * is retried by {@link ConsumerTransaction} until it commits, so nothing is lost and nothing applies twice.
 *
 * <p>A consumer is then only its {@code @Incoming} method and its effect:
 * <pre>{@code
 * @Incoming("referrals") @Blocking(ordered = true)
 * public void on(ConsumerRecord<String, Object> record) {
 *     events.consume(CONSUMER, record.value(), ReferralAccepted.class, this::apply);
 * }
 * }</pre>
 */
@ApplicationScoped
public class EventConsumer {

    /** What the template needs of the inbox; {@link Inbox#firstDelivery} in production, a fake in a unit test. */
    @FunctionalInterface
    public interface Deliveries {
        /** Records that {@code consumer} applies {@code eventId}; false when it already did. */
        boolean firstDelivery(String consumer, String eventId);
    }

    @Inject
    Inbox inbox;

    @Inject
    ConsumerTransaction transaction;

    @Inject
    Tracer tracer;

    @Inject
    MeterRegistry meters;

    /** Applies every event type. */
    public void consume(String consumer, Object recordValue, Consumer<SpecificRecord> effect) {
        consume(consumer, recordValue, SpecificRecord.class, effect);
    }

    /**
     * Applies events of {@code type} only; other types are not recorded in the inbox, so a topic that carries
     * many types does not fill the inbox with events the consumer ignores.
     */
    public <T extends SpecificRecord> void consume(
            String consumer, Object recordValue, Class<T> type, Consumer<? super T> effect) {
        if (!mayTake(type, recordValue)) {
            return; // no transaction and no decoding for what the consumer ignores (most of registry-service's)
        }
        transaction.run(consumer, () -> applyOnce(inbox::firstDelivery, consumer, recordValue, type, effect));
    }

    /**
     * Applies a poll's records in ONE transaction, each as {@link #consume} applies one, in their order: a batch pays
     * one transaction, one connection and one commit instead of one per record (#18). Each record's effect runs in a
     * span of its own whose parent is the change that wrote the event (the record's traceparent), so what the effect
     * stores joins that trace. When the transaction fails, the whole batch is run again until it commits, as one
     * record is: the order holds, and the inbox keeps an event that appears twice (even in one batch) from applying
     * twice.
     */
    public void consumeAll(
            String consumer, Iterable<ConsumerRecord<String, Object>> records, Consumer<SpecificRecord> effect) {
        List<ConsumerRecord<String, Object>> taken = new ArrayList<>();
        for (ConsumerRecord<String, Object> record : records) {
            if (mayTake(SpecificRecord.class, record.value())) {
                taken.add(record);
            }
        }
        if (taken.isEmpty()) {
            return;
        }
        batchSizes.computeIfAbsent(consumer, this::batchSize).record(taken.size());
        transaction.run(consumer, () -> {
            for (ConsumerRecord<String, Object> record : taken) {
                Span span = tracer.spanBuilder(record.topic() + " process")
                        .setSpanKind(SpanKind.CONSUMER)
                        .setParent(TraceParents.parent(record.headers()))
                        .setAttribute("messaging.system", "kafka")
                        .setAttribute("messaging.operation.type", "process")
                        .setAttribute("messaging.destination.name", record.topic())
                        .setAttribute("messaging.consumer.group.name", consumer)
                        .startSpan();
                try (Scope ignored = span.makeCurrent()) {
                    applyOnce(inbox::firstDelivery, consumer, record.value(), SpecificRecord.class, effect);
                } finally {
                    span.end();
                }
            }
        });
    }

    /** Per consumer, kept: registering looks the meter up by name and tags, once per batch on the hot path. */
    private final Map<String, DistributionSummary> batchSizes = new ConcurrentHashMap<>();

    private DistributionSummary batchSize(String consumer) {
        return DistributionSummary.builder("tandem.consumer.batch")
                .description("Records a consumer applied in one transaction")
                .tag("consumer", consumer)
                .publishPercentiles(0.5, 0.99)
                .register(meters);
    }

    /**
     * Whether a record value may be of {@code type}, judged from its schema's name alone, before the costly
     * conversion to the generated class and before a transaction. False for a tombstone and for a known event
     * of another type; true for anything it cannot judge (an unknown schema or not an Avro record), which then
     * fails loudly in {@link #applyOnce}, as before.
     */
    static boolean mayTake(Class<? extends SpecificRecord> type, Object recordValue) {
        if (recordValue == null) {
            return false;
        }
        if (recordValue instanceof SpecificRecord specific) {
            return type.isInstance(specific);
        }
        if (recordValue instanceof GenericRecord generic) {
            try {
                return type.isAssignableFrom(
                        EventCatalog.byFullName(generic.getSchema().getFullName())
                                .type());
            } catch (IllegalArgumentException unknown) {
                return true;
            }
        }
        return true;
    }

    /**
     * The steps inside the transaction: decode, record in the inbox, apply. Returns whether the effect ran.
     * Must run in the transaction of the effect (which {@link #consume} opens).
     */
    public static <T extends SpecificRecord> boolean applyOnce(
            Deliveries inbox, String consumer, Object recordValue, Class<T> type, Consumer<? super T> effect) {
        SpecificRecord event = EventRecords.specific(recordValue);
        if (!type.isInstance(event)) {
            return false; // a tombstone (null) or a type this consumer does not take
        }
        if (!inbox.firstDelivery(consumer, EventFields.eventId(event))) {
            return false;
        }
        effect.accept(type.cast(event));
        return true;
    }
}
