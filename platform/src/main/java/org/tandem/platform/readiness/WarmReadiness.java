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
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.oidc.runtime.TenantConfigBean;
import io.quarkus.oidc.runtime.TenantConfigContext;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import org.apache.avro.Schema;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import org.tandem.events.EventCatalog;
import org.tandem.platform.outbox.EventProducer;
import org.tandem.platform.serde.TimeLimitedSchemaResolver;

/**
 * "Ready means fast" (docs/operations.md, "Readiness"): the readiness check {@code warm-up} is UP only once the
 * service can serve its first requests at speed, not merely answer. Each probe does what is still missing, with
 * short timeouts, and reports each part:
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
 */
@Readiness
@ApplicationScoped
public class WarmReadiness implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(WarmReadiness.class);
    static final Duration CONSUMER_PROBE = Duration.ofSeconds(2);
    static final Duration OIDC_PROBE = Duration.ofSeconds(5);

    @Inject
    Instance<AgroalDataSource> dataSource;

    @Inject
    Instance<TenantConfigBean> oidc;

    @Inject
    Instance<KafkaClientService> kafka;

    @Inject
    EventProducer producer;

    @ConfigProperty(name = "quarkus.datasource.jdbc.min-size", defaultValue = "0")
    int poolMinimum;

    @ConfigProperty(name = "tandem.ready.produces")
    Optional<List<String>> produces;

    private final AtomicBoolean poolFilled = new AtomicBoolean();
    /** The consumers (by channel and client id) seen in a generation of their group: a generation only grows. */
    private final java.util.Set<String> joined = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final AtomicBoolean producerWarm = new AtomicBoolean();

    private final AtomicBoolean consumerSchemasCached = new AtomicBoolean();

    @Inject
    Config config;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("warm-up");
        boolean up = pool(b) & identityProvider(b) & consumers(b) & producer(b) & consumerSchemas(b);
        return b.status(up).build();
    }

    /** Opens {@code min-size} connections at once, once; the pool keeps them. */
    boolean pool(HealthCheckResponseBuilder b) {
        if (!poolFilled.get() && dataSource.isResolvable()) {
            List<Connection> held = new ArrayList<>();
            try {
                for (int i = 0; i < poolMinimum; i++) {
                    Connection c = dataSource.get().getConnection();
                    held.add(c);
                    if (!c.isValid(2)) {
                        throw new SQLException("connection not valid");
                    }
                }
                poolFilled.set(true);
            } catch (SQLException | RuntimeException e) {
                LOG.debugf("pool not filled yet: %s", e.getClass().getName());
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
        b.withData("pool", poolFilled.get() ? poolMinimum + " connections open" : "filling");
        return poolFilled.get() || !dataSource.isResolvable();
    }

    /** The default OIDC tenant is initialised: metadata and keys fetched. */
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
            tenant = oidc.get().getDefaultTenant();
        }
        boolean ready = tenant != null && tenant.ready() && tenant.provider() != null;
        b.withData("identity-provider", ready ? "keys loaded" : "not initialised");
        return ready;
    }

    /** Every consumer channel's consumer is in a generation of its group. */
    boolean consumers(HealthCheckResponseBuilder b) {
        if (!kafka.isResolvable()) {
            return true;
        }
        Map<String, String> state = new LinkedHashMap<>();
        boolean all = true;
        for (String channel : kafka.get().getConsumerChannels()) {
            for (KafkaConsumer<Object, Object> consumer : kafka.get().getConsumers(channel)) {
                String key = channel + "/" + consumer.configuration().get("client.id");
                if (!joined.contains(key)) {
                    // asked once until it has joined: the polling thread may be slow to answer under load, and a
                    // slow answer must not take a ready service out of rotation
                    int generation;
                    try {
                        java.util.function.Function<org.apache.kafka.clients.consumer.Consumer<Object, Object>, Integer>
                                gen = c -> c.groupMetadata().generationId();
                        generation = consumer.runOnPollingThread(gen).await().atMost(CONSUMER_PROBE);
                    } catch (RuntimeException e) {
                        generation = -1;
                    }
                    if (generation > 0) {
                        joined.add(key);
                    }
                }
                boolean in = joined.contains(key);
                all &= in;
                state.merge(channel, in ? "assigned" : "joining", (x, y) -> x.equals(y) ? x : "joining");
            }
        }
        b.withData("consumers", state.toString());
        return all;
    }
    /** The relay's producer is connected and its serialiser has the schemas of what it sends. */
    boolean producer(HealthCheckResponseBuilder b) {
        List<String> topics = produces.orElse(List.of());
        if (!producerWarm.get() && !topics.isEmpty()) {
            try {
                producer.warmUp(topics);
                producerWarm.set(true);
            } catch (RuntimeException e) {
                LOG.debugf("producer not warm yet: %s", e.getClass().getName());
            }
        }
        boolean done = producerWarm.get() || topics.isEmpty();
        b.withData("producer", topics.isEmpty() ? "none" : done ? "connected, schemas cached" : "connecting");
        return done;
    }

    /**
     * The consumers' deserialisers have the schema of every event type of the topics they read. They are
     * built with their channels at start, before the first probe; a lookup that fails (the registry away) is tried
     * again at the next probe.
     */
    boolean consumerSchemas(HealthCheckResponseBuilder b) {
        List<Schema> schemas = kafka.isResolvable() ? consumedSchemas() : List.of();
        if (schemas.isEmpty()) {
            return true;
        }
        if (!consumerSchemasCached.get()) {
            try {
                TimeLimitedSchemaResolver.prefetch(schemas);
                consumerSchemasCached.set(true);
            } catch (RuntimeException e) {
                LOG.debugf("consumers' schemas not cached yet: %s", e.getClass().getName());
            }
        }
        boolean done = consumerSchemasCached.get();
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
