package org.tandem.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import org.tandem.events.EventCatalog;
import org.tandem.platform.serde.EventTypeFilter;
import org.tandem.platform.tracing.TraceParents;
import org.tandem.platform.worker.PolledWorker;

/**
 * Publishes committed outbox events to Kafka in the order they were written, then marks them published.
 *
 * <p>Only one relay publishes at a time across all instances of a service ({@link RelayLock}: a transaction-scoped
 * PostgreSQL advisory lock whose key is the service's own), so that a key's events cannot overtake each other.
 * The producer is idempotent with {@code acks=all}: if one record of a key fails, the broker refuses the later
 * ones too, and the next round sends them again. A crash between send and commit republishes a batch; consumers
 * drop the duplicates by event id. The relay runs on a {@link PolledWorker}: it wakes right after a commit that
 * appended an event, and polls at {@code tandem.outbox.poll-interval} as a fallback.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /**
     * In one statement: the relay's lock ({@link RelayLock}) for this transaction, the generic plan for the mark that
     * follows ({@link #markAttempted}), and the oldest unpublished rows if the lock was taken; none if another relay
     * of the service holds it. The materialised CTE runs its functions once, whatever the plan does with the rows.
     */
    private static final String READ_LOCKED = """
            with relay as materialized (
                select pg_try_advisory_xact_lock(?, ?) as locked,
                       set_config('plan_cache_mode', 'force_generic_plan', true) as plan_mode
            )
            select o.id, o.event_id, o.topic, o.message_key, o.event_type, o.payload, o.created_at, o.attempts,
                   o.trace_parent
            from outbox_event o
            where (select locked from relay) and o.published_at is null
            order by o.id
            limit ?""";

    /** Marks a batch sent once more, and published up to an id ({@link #markAttempted}). */
    private static final String MARK_ATTEMPTED = """
            update outbox_event
            set attempts = attempts + 1,
                published_at = case when id <= ? then ? else published_at end
            where id = any(?)""";

    @Inject
    EntityManager em;

    @Inject
    EventProducer producer;

    @Inject
    RelayLock lock;

    @Inject
    MeterRegistry meters;

    @Inject
    Tracer tracer;

    @Inject
    Clock clock;

    @ConfigProperty(name = "tandem.outbox.enabled", defaultValue = "true")
    boolean enabled;

    @ConfigProperty(name = "tandem.outbox.poll-interval", defaultValue = "PT1S")
    Duration pollInterval;

    /** The longest wait after failed rounds in a row (the first waits one poll interval, each further one twice as long). */
    @ConfigProperty(name = "tandem.outbox.max-backoff", defaultValue = "PT10S")
    Duration maxBackoff;

    @ConfigProperty(name = "tandem.outbox.batch-size", defaultValue = "200")
    int batchSize;

    private PolledWorker worker;
    private Timer publishLag;

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.info("outbox relay disabled by configuration");
            return;
        }
        publishLag = Timer.builder("tandem.outbox.publish.lag")
                .description("Time from an event's commit to its acknowledgement by Kafka")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        worker = new PolledWorker(
                        "outbox-relay",
                        pollInterval,
                        maxBackoff.compareTo(pollInterval) < 0 ? pollInterval : maxBackoff,
                        this::round)
                .start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (worker != null) {
            worker.stop(Duration.ofSeconds(5));
        }
    }

    void onAppended(@Observes(during = TransactionPhase.AFTER_SUCCESS) Outbox.Appended appended) {
        if (worker != null) {
            worker.wakeUp();
        }
    }

    /** One round: a full batch means more may be waiting. A failed round drops the producer for a new session. */
    private boolean round() {
        try {
            return relayOnce() >= batchSize;
        } catch (RuntimeException e) {
            producer.reset();
            throw e;
        }
    }

    /** Publishes one batch; returns how many events were published. Visible for tests. */
    public int relayOnce() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<OutboxEvent> batch = lockedBatch();
            if (batch.isEmpty()) {
                return 0;
            }
            List<Future<RecordMetadata>> sent = new ArrayList<>(batch.size());
            List<Span> spans = new ArrayList<>(batch.size());
            for (OutboxEvent row : batch) {
                Span span = publishSpan(row);
                spans.add(span);
                var record = new ProducerRecord<String, SpecificRecord>(row.topic, row.messageKey, decode(row));
                // the type, so that a consumer that takes few types passes over the others undecoded
                record.headers().add(EventTypeFilter.HEADER, row.eventType.getBytes(StandardCharsets.US_ASCII));
                TraceParents.inject(
                        span.getSpanContext(),
                        record.headers(),
                        (headers, key, value) -> headers.add(key, value.getBytes(StandardCharsets.US_ASCII)));
                sent.add(producer.send(record));
            }
            producer.flush();
            int published = 0;
            Instant now = clock.instant();
            try {
                for (int i = 0; i < batch.size(); i++) {
                    OutboxEvent row = batch.get(i);
                    try {
                        sent.get(i).get(30, TimeUnit.SECONDS);
                        publishLag.record(Duration.between(row.createdAt, now));
                        published++;
                    } catch (Exception e) {
                        // Later rows of the same key cannot have been written (idempotent producer), so stop here
                        // and let the next round resend from this row.
                        LOG.warnf(
                                "outbox event %s not published yet: %s",
                                row.eventId, e.getClass().getSimpleName());
                        spans.get(i).setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
                        break;
                    }
                }
            } finally {
                spans.forEach(Span::end);
            }
            markAttempted(batch, published, now);
            return published;
        });
    }

    /**
     * The round's rows, read-only and in id order, under the relay's lock; empty when another relay holds it. Plain
     * JDBC: the lock, the plan setting and the read in one round trip, where they were three (#18).
     */
    private List<OutboxEvent> lockedBatch() {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement read = connection.prepareStatement(READ_LOCKED)) {
                read.setInt(1, RelayLock.RELAY_CLASS);
                read.setInt(2, lock.key());
                read.setInt(3, batchSize);
                List<OutboxEvent> rows = new ArrayList<>();
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        var row = new OutboxEvent();
                        row.id = rs.getLong(1);
                        row.eventId = rs.getObject(2, UUID.class);
                        row.topic = rs.getString(3);
                        row.messageKey = rs.getString(4);
                        row.eventType = rs.getString(5);
                        row.payload = rs.getBytes(6);
                        row.createdAt = rs.getObject(7, OffsetDateTime.class).toInstant();
                        row.attempts = rs.getInt(8);
                        row.traceParent = rs.getString(9);
                        rows.add(row);
                    }
                }
                return rows;
            }
        });
    }

    /**
     * One statement for the whole batch: every row was sent once more, and the first {@code published} of them (in
     * id order, as sent) are published. The rest stay for the next round.
     *
     * <p>Plain JDBC with the ids as one array parameter, so that the statement's text is the same whatever the
     * batch's size: the driver keeps it prepared on the server. Through Hibernate's native query, each batch size was
     * a new text to parse, an {@code in (?, ?, …)} to expand and a flush of the session first; that was half of the
     * relay's CPU under load (#18).
     */
    private void markAttempted(List<OutboxEvent> batch, int published, Instant now) {
        long lastPublished = published == 0 ? Long.MIN_VALUE : batch.get(published - 1).id;
        Long[] ids = batch.stream().map(row -> row.id).toArray(Long[]::new);
        em.unwrap(Session.class).doWork(connection -> {
            // pg_stat_statements in the benchmark: PostgreSQL planned this statement anew on every round (83-93 us
            // of planning against 58 of execution): for an array of ids its cost model keeps preferring a custom
            // plan. The plan is a primary-key lookup whatever the ids, so the generic one is forced for the round's
            // transaction, as for the dispatcher's claim: by the round's read (READ_LOCKED), not a statement more.
            try (PreparedStatement update = connection.prepareStatement(MARK_ATTEMPTED)) {
                update.setLong(1, lastPublished);
                update.setObject(2, now.atOffset(ZoneOffset.UTC));
                update.setArray(3, connection.createArrayOf("bigint", ids));
                update.executeUpdate();
            }
        });
    }

    /**
     * The publish joins the trace of the request that wrote the event: its parent is the row's stored
     * traceparent. Attributes are ids and codes only (the span allow-list, {@link TraceParents}).
     */
    private Span publishSpan(OutboxEvent row) {
        return tracer.spanBuilder("publish " + row.topic)
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(TraceParents.parent(row.traceParent))
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.destination.name", row.topic)
                .setAttribute("tandem.event.type", row.eventType)
                .setAttribute("tandem.event.id", row.eventId.toString())
                .startSpan();
    }

    private static SpecificRecord decode(OutboxEvent row) {
        var entry = EventCatalog.byFullName(row.eventType);
        return AvroCodec.decode(entry.type(), entry.schema(), row.payload);
    }
}
