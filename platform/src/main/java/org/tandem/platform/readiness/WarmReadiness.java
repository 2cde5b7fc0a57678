package org.tandem.platform.readiness;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

import io.agroal.api.AgroalDataSource;
import io.quarkus.oidc.runtime.TenantConfigBean;
import io.quarkus.oidc.runtime.TenantConfigContext;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.Consumer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import org.tandem.events.EventCatalog;
import org.tandem.platform.outbox.EventProducer;
import org.tandem.platform.serde.TimeLimitedSchemaResolver;

/**
 * "Ready means fast" (docs/operations.md, "Readiness"): the readiness check {@code warm-up} is UP only once the
 * service can serve its first requests at speed, not merely answer. The work begins when the application has
 * started ({@link #beginAtStart}), off the probes' threads; each probe begins again what failed, waits briefly for
 * what is under way and reports each part:
 *
 * <ul>
 *   <li>{@code pool}: the connection pool holds {@code quarkus.datasource.jdbc.min-size} open connections
 *       (opened together once, then kept by the pool);
 *   <li>{@code identity-provider}: the OIDC tenant is initialised, with the provider's metadata and signing keys
 *       (JWKS) in memory, so that the first token check fetches nothing;
 *   <li>{@code consumers}: every Kafka channel's consumer has joined its group and got its partitions (a
 *       generation of the group, which may assign it none when there are more instances than partitions);
 *   <li>{@code producer}: the outbox relay's producer is connected to the topics the service writes
 *       ({@code tandem.ready.produces}), and its Avro serialiser has looked up and cached the schema of every
 *       event type it sends there ({@link EventProducer#warmUp});
 *   <li>{@code consumer-schemas}: the consumers' deserialisers hold the schema of every event type of the topics
 *       they read, as this build writes it ({@link TimeLimitedSchemaResolver#prefetch}), so that the first record of each
 *       type is decoded without a registry lookup.
 * </ul>
 *
 * Once a part was done it stays done (the pool, the producer, each consumer: a group generation, once reached, only
 * grows), so that a rebalance or a busy polling thread under load does not take the service out of rotation; the
 * identity provider is checked again at each probe, which costs nothing once it is initialised.
 *
 * <p>Once every part is done, a probe is answered on the HTTP event loop from that state alone, without a worker
 * thread: under overload the worker pool's queue holds the requests, and a probe queued behind them would miss the
 * kubelet's one-second timeout (docs/operations.md, "Probes under load"). Only while a part is not done does a probe
 * take a worker thread, to begin the parts again and wait for them.
 */
@Readiness
@ApplicationScoped
public class WarmReadiness implements AsyncHealthCheck {

    private static final Logger LOG = Logger.getLogger(WarmReadiness.class);
    static final Duration CONSUMER_PROBE = Duration.ofSeconds(2);
    static final Duration OIDC_PROBE = Duration.ofSeconds(5);
    /** How long a probe waits for the parts under way; a Kubernetes probe's default timeout is one second. */
    static final Duration PROBE_WAIT = Duration.ofMillis(800);

    @Inject
    Instance<AgroalDataSource> dataSource;

    @Inject
    Instance<TenantConfigBean> oidc;

    @Inject
    Instance<KafkaClientService> kafka;

    @Inject
    EventProducer producerBean;

    @ConfigProperty(name = "quarkus.datasource.jdbc.min-size", defaultValue = "0")
    int poolMinimum;

    @ConfigProperty(name = "tandem.ready.produces")
    Optional<List<String>> produces;

    /** The pool's connections, opened together once; the pool keeps them. */
    private final WarmUpPart pool = new WarmUpPart("pool", this::fillPool);
    /** The relay's producer, connected, and its serialiser, with the schemas of what it sends. */
    private final WarmUpPart producer = new WarmUpPart("producer", this::warmProducer);

    /** The consumers' deserialisers, with the schemas of what they read. */
    private final WarmUpPart consumerSchemas = new WarmUpPart("consumer-schemas", this::cacheConsumerSchemas);
    /** The consumers (by channel and client id) seen in a generation of their group: a generation only grows. */
    private final java.util.Set<String> joined = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Inject
    Config config;

    /**
     * Begins the warm-up as soon as the application has started (after the messaging channels, which observe the
     * same event earlier), instead of at the first probe: the parts run while the HTTP server opens and the first
     * probes arrive, so that ready comes that much sooner (docs/performance.md, "Ready sooner").
     */
    void beginAtStart(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER + 1000) StartupEvent start) {
        begin();
    }

    /** Starts every part not yet done and not under way; returns at once. */
    void begin() {
        // side by side: each waits mostly on another server (PostgreSQL, Kafka, the schema registry)
        pool.begin();
        producer.begin();
        consumerSchemas.begin();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        HealthCheckResponse now = answerFromState();
        if (now.getStatus() == HealthCheckResponse.Status.UP) {
            return Uni.createFrom().item(now);
        }
        // a part is not done: begin it again and wait for it, which blocks, so on a worker thread
        return Uni.createFrom().item(this::answerAfterWaiting).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** The answer from what is done, without beginning or waiting for anything: safe on the event loop. */
    HealthCheckResponse answerFromState() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("warm-up");
        boolean up = pool(b) & identityProviderInitialised(b) & consumersJoined(b) & producer(b) & consumerSchemas(b);
        return b.status(up).build();
    }

    /** Begins the parts not done, waits a moment for them, and answers: blocks up to about three seconds. */
    HealthCheckResponse answerAfterWaiting() {
        begin();
        // wait a moment for the parts under way, so that the probe that comes while they finish says UP at once,
        // and stays under a Kubernetes probe's default timeout of one second
        WarmUpPart.awaitAll(PROBE_WAIT, pool, producer, consumerSchemas);
        HealthCheckResponseBuilder b = HealthCheckResponse.named("warm-up");
        boolean up = pool(b) & identityProvider(b) & consumers(b) & producer(b) & consumerSchemas(b);
        return b.status(up).build();
    }

    /** Opens {@code min-size} connections at once; throws when one cannot be opened or is not valid. */
    private void fillPool() throws SQLException {
        if (!dataSource.isResolvable()) {
            return;
        }
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < poolMinimum; i++) {
                Connection c = dataSource.get().getConnection();
                held.add(c);
                if (!c.isValid(2)) {
                    throw new SQLException("connection not valid");
                }
            }
        } finally {
            for (Connection c : held) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // returned broken: the pool drops it
                }
            }
        }
    }

    boolean pool(HealthCheckResponseBuilder b) {
        b.withData("pool", pool.done() ? poolMinimum + " connections open" : "filling");
        return pool.done() || !dataSource.isResolvable();
    }

    /** The default OIDC tenant is initialised, without initialising it. */
    boolean identityProviderInitialised(HealthCheckResponseBuilder b) {
        if (!oidc.isResolvable()) {
            return true;
        }
        TenantConfigContext tenant = oidc.get().getDefaultTenant();
        boolean ready = tenant != null && tenant.ready() && tenant.provider() != null;
        b.withData("identity-provider", ready ? "keys loaded" : "not initialised");
        return ready;
    }

    /** The default OIDC tenant is initialised: metadata and keys fetched; initialises it (blocking) if not. */
    boolean identityProvider(HealthCheckResponseBuilder b) {
        if (!oidc.isResolvable()) {
            return true;
        }
        TenantConfigContext tenant = oidc.get().getDefaultTenant();
        if (tenant != null && !tenant.ready()) {
            // the provider was away at start: initialise now, or no request would ever come to do it
            try {
                tenant.initialize().await().atMost(OIDC_PROBE);
            } catch (RuntimeException e) {
                LOG.debugf("identity provider not reached yet: %s", e.getClass().getName());
            }
        }
        return identityProviderInitialised(b);
    }

    /** Every consumer channel's consumer has been seen in a generation of its group, without asking any. */
    boolean consumersJoined(HealthCheckResponseBuilder b) {
        if (!kafka.isResolvable()) {
            return true;
        }
        Map<String, String> state = new LinkedHashMap<>();
        boolean all = true;
        for (String channel : kafka.get().getConsumerChannels()) {
            for (KafkaConsumer<Object, Object> consumer : kafka.get().getConsumers(channel)) {
                boolean in = joined.contains(consumerKey(channel, consumer));
                all &= in;
                state.merge(channel, in ? "assigned" : "joining", (x, y) -> x.equals(y) ? x : "joining");
            }
        }
        b.withData("consumers", state.toString());
        return all;
    }

    /**
     * Every consumer channel's consumer is in a generation of its group. The consumers not seen in one yet are asked
     * side by side, each on its own polling thread, which answers between two polls: asked one after another, four
     * consumers (notification-service) could hold a probe for four poll timeouts.
     */
    boolean consumers(HealthCheckResponseBuilder b) {
        if (!kafka.isResolvable()) {
            return true;
        }
        Map<String, CompletableFuture<Integer>> asked = new LinkedHashMap<>();
        for (String channel : kafka.get().getConsumerChannels()) {
            for (KafkaConsumer<Object, Object> consumer : kafka.get().getConsumers(channel)) {
                String key = consumerKey(channel, consumer);
                if (!joined.contains(key)) {
                    // asked once until it has joined: the polling thread may be slow to answer under load, and a
                    // slow answer must not take a ready service out of rotation
                    Function<Consumer<Object, Object>, Integer> generation =
                            c -> c.groupMetadata().generationId();
                    asked.put(key, consumer.runOnPollingThread(generation).subscribeAsCompletionStage());
                }
            }
        }
        long deadline = System.nanoTime() + CONSUMER_PROBE.toNanos();
        asked.forEach((key, answer) -> {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (answer.get(left, TimeUnit.NANOSECONDS) > 0) {
                    joined.add(key);
                }
            } catch (ExecutionException | TimeoutException e) {
                answer.cancel(false); // not in a generation yet: asked again at the next probe
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return consumersJoined(b);
    }

    /** How {@link #joined} names a consumer: its channel and client id. */
    private static String consumerKey(String channel, KafkaConsumer<Object, Object> consumer) {
        return channel + "/" + consumer.configuration().get("client.id");
    }

    private void warmProducer() {
        List<String> topics = produces.orElse(List.of());
        if (!topics.isEmpty()) {
            producerBean.warmUp(topics);
        }
    }

    /** The relay's producer is connected and its serialiser has the schemas of what it sends. */
    boolean producer(HealthCheckResponseBuilder b) {
        List<String> topics = produces.orElse(List.of());
        boolean done = producer.done() || topics.isEmpty();
        b.withData("producer", topics.isEmpty() ? "none" : done ? "connected, schemas cached" : "connecting");
        return done;
    }

    /**
     * Fills the consumers' deserialisers with the schema of every event type of the topics they read. They are
     * built with their channels at start, before this runs; a lookup that fails (the registry away), or a
     * deserialiser not built yet, is tried again at the next probe.
     */
    private void cacheConsumerSchemas() {
        List<Schema> schemas = kafka.isResolvable() ? consumedSchemas() : List.of();
        if (schemas.isEmpty()) {
            return;
        }
        if (TimeLimitedSchemaResolver.configured().isEmpty()) {
            throw new IllegalStateException("the consumers' deserialisers are not built yet");
        }
        TimeLimitedSchemaResolver.prefetch(schemas);
    }

    /** The consumers' deserialisers have the schema of every event type of the topics they read. */
    boolean consumerSchemas(HealthCheckResponseBuilder b) {
        List<Schema> schemas = kafka.isResolvable() ? consumedSchemas() : List.of();
        if (schemas.isEmpty()) {
            return true;
        }
        boolean done = consumerSchemas.done();
        b.withData("consumer-schemas", done ? schemas.size() + " event types cached" : "fetching");
        return done;
    }

    /** The schemas of the event types on the topics this service's channels read (a channel's topic is its name unless set). */
    List<Schema> consumedSchemas() {
        Set<String> topics = new HashSet<>();
        for (String channel : kafka.get().getConsumerChannels()) {
            topics.add(config.getOptionalValue("mp.messaging.incoming." + channel + ".topic", String.class)
                    .orElse(channel));
        }
        return EventCatalog.all().stream()
                .filter(e -> topics.contains(e.topic()))
                .map(EventCatalog.Entry::schema)
                .toList();
    }
}
