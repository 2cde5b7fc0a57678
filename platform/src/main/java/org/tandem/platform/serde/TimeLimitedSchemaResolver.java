package org.tandem.platform.serde;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.apicurio.registry.resolver.DefaultSchemaResolver;
import io.apicurio.registry.resolver.SchemaParser;
import io.apicurio.registry.resolver.client.RegistryVersionCoordinates;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import org.apache.avro.Schema;

/**
 * The Apicurio default schema resolver (lookups, cache, references), with the registry client of
 * {@link SchemaRegistryClients}: connect and read timeouts, and its own event loop. Named in the serde settings by
 * {@code apicurio.registry.schema-resolver}.
 *
 * <p>Every instance that was configured is known here, so that readiness can fill the caches of the deserialisers
 * that the Kafka connector builds (and that nothing else can reach) before the first record arrives
 * ({@link #prefetch}).
 */
public class TimeLimitedSchemaResolver<S, T> extends DefaultSchemaResolver<S, T> {

    private static final String AVRO = "AVRO";

    /** The configured resolvers; weakly held, so that a closed consumer's resolver is not kept alive by this. */
    private static final Set<TimeLimitedSchemaResolver<?, ?>> CONFIGURED =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    @Override
    public void configure(Map<String, ?> configs, SchemaParser<S, T> schemaParser) {
        if (clientFacade == null) {
            setClientFacade(SchemaRegistryClients.facade(configs));
        }
        super.configure(configs, schemaParser);
        CONFIGURED.add(this);
    }

    /** The resolvers configured so far in this JVM (each serde has its own). */
    public static List<TimeLimitedSchemaResolver<?, ?>> configured() {
        synchronized (CONFIGURED) {
            return List.copyOf(CONFIGURED);
        }
    }

    /**
     * Fills every configured resolver's cache with the registered version of each schema as this build has it (the
     * whole schema, nested types inline, as every Tandem producer writes it: group = namespace, artifact = record
     * name), found by its content and loaded by its content id, the id that a record written with it carries: a
     * deserialiser then decodes such a record without asking the registry. Fails as a lookup fails (the registry
     * away, a schema not registered); what was loaded before the failure stays cached.
     */
    public static void prefetch(Collection<Schema> schemas) {
        List<TimeLimitedSchemaResolver<?, ?>> resolvers = configured();
        if (resolvers.isEmpty()) {
            return;
        }
        // Side by side: each lookup is a round trip to the registry, and one after another notification-service's
        // (four deserialisers, each loading every consumed type) took 1.2-1.6 s of its start.
        try (var threads = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().daemon().name("schema-prefetch-", 0).factory())) {
            // a content's id is the registry's, the same for every resolver: one search per schema
            List<Long> contentIds = joined(schemas.stream()
                    .map(schema -> threads.submit(() -> resolvers.get(0).contentId(schema)))
                    .toList());
            joined(resolvers.stream()
                    .map(resolver -> threads.submit(() -> {
                        contentIds.forEach(resolver::resolveSchemaByContentId);
                        return resolver;
                    }))
                    .toList());
        }
    }

    /** The tasks' results, in order; the first failure is thrown as it was (a lookup's own exception). */
    private static <T> List<T> joined(List<Future<T>> tasks) {
        List<T> results = new ArrayList<>();
        for (Future<T> task : tasks) {
            try {
                results.add(task.get());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fetching schemas", e);
            }
        }
        return results;
    }

    /** The content id under which the registry holds {@code schema}'s content, in its artifact. */
    private long contentId(Schema schema) {
        var artifact = ArtifactReference.builder()
                .groupId(schema.getNamespace())
                .artifactId(schema.getName())
                .build();
        List<RegistryVersionCoordinates> found =
                clientFacade.searchVersionsByContent(schema.toString(), AVRO, artifact, false);
        if (found.isEmpty() || found.get(0).getContentId() == null) {
            throw new IllegalStateException(
                    "the schema registry does not hold " + schema.getFullName() + " as this build has it");
        }
        return found.get(0).getContentId();
    }

    /** Whether this resolver's cache holds the schema with this content id, so that decoding it fetches nothing. */
    public boolean holdsContentId(long contentId) {
        return schemaCache.containsByContentId(contentId);
    }
}
