package org.tandem.platform.serde;

import java.util.Map;

import io.apicurio.registry.resolver.DefaultSchemaResolver;
import io.apicurio.registry.resolver.SchemaParser;

/**
 * The Apicurio default schema resolver (lookups, cache, references), with the registry client of
 * {@link SchemaRegistryClients}: connect and read timeouts, and its own event loop. Named in the serde settings by
 * {@code apicurio.registry.schema-resolver}.
 */
public class TimeLimitedSchemaResolver<S, T> extends DefaultSchemaResolver<S, T> {

    @Override
    public void configure(Map<String, ?> configs, SchemaParser<S, T> schemaParser) {
        if (clientFacade == null) {
            setClientFacade(SchemaRegistryClients.facade(configs));
        }
        super.configure(configs, schemaParser);
    }
}
