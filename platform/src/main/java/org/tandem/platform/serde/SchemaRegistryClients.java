package org.tandem.platform.serde;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.microsoft.kiota.ApiException;
import io.apicurio.registry.client.RegistryClientFactory;
import io.apicurio.registry.client.common.RegistryClientOptions;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryClientFacadeImpl;
import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.avro.strategy.RecordIdStrategy;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.VertxOptions;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import io.vertx.ext.web.client.OAuth2WebClient;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * How every Apicurio serde of Tandem talks to the schema registry: with a connect timeout and a read timeout, on
 * a small Vert.x instance of its own.
 *
 * <p>The Apicurio serde 3.1 builds its HTTP client without any timeout (a lookup whose answer never comes blocks
 * the Kafka polling thread for good) on the application's Vert.x event loops, and it offers no setting for either.
 * {@link TimeLimitedSchemaResolver} (named by {@value #SCHEMA_RESOLVER}) replaces that client with the one built
 * here. A lookup that fails is not retried here: consumers retry it through {@link SchemaLookupRetry}, the outbox
 * relay in its next round.
 */
public final class SchemaRegistryClients {

    /** The serde setting that names the schema resolver class. */
    public static final String SCHEMA_RESOLVER = "apicurio.registry.schema-resolver";
    /** Milliseconds to wait for a connection to the registry. */
    public static final String CONNECT_TIMEOUT_MS = "tandem.schema-registry.connect-timeout-ms";
    /** Milliseconds a connection to the registry may stay silent while a lookup waits for its answer. */
    public static final String READ_TIMEOUT_MS = "tandem.schema-registry.read-timeout-ms";

    private static final String CONNECTOR_PREFIX = "mp.messaging.connector.smallrye-kafka.";
    static final int DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    static final int DEFAULT_READ_TIMEOUT_MS = 10_000;

    private SchemaRegistryClients() {}

    /**
     * The settings every Tandem serde outside the Kafka channels shares: the registry, the resolver with the
     * channels' timeouts, and the artifact strategy (group = namespace, artifact = record name). Callers add their
     * own (auto-registration, specific reader).
     */
    public static Map<String, Object> serdeConfig(String registryUrl) {
        Map<String, Object> c = new HashMap<>();
        c.put(SchemaResolverConfig.REGISTRY_URL, registryUrl);
        c.put(SCHEMA_RESOLVER, TimeLimitedSchemaResolver.class);
        c.put(SchemaResolverConfig.ARTIFACT_RESOLVER_STRATEGY, RecordIdStrategy.class.getName());
        // the timeouts, cache lifetime and credentials the Kafka channels are configured with, so that every serde of
        // the service has the same
        var config = ConfigProvider.getConfig();
        for (String key : new String[] {
            CONNECT_TIMEOUT_MS,
            READ_TIMEOUT_MS,
            SchemaResolverConfig.CHECK_PERIOD_MS,
            SchemaResolverConfig.FAULT_TOLERANT_REFRESH,
            SchemaResolverConfig.AUTH_TOKEN_ENDPOINT,
            SchemaResolverConfig.AUTH_CLIENT_ID,
            SchemaResolverConfig.AUTH_CLIENT_SECRET
        }) {
            config.getOptionalValue(CONNECTOR_PREFIX + key, String.class).ifPresent(v -> c.put(key, v));
        }
        return c;
    }

    /** A registry client with the timeouts of {@code configs} (or the defaults). */
    static RegistryClientFacade facade(Map<String, ?> configs) {
        var config = new SchemaResolverConfig(configs);
        WebClientOptions http = new WebClientOptions()
                .setConnectTimeout(millis(configs, CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS))
                // a connection that stays silent this long is closed, which fails the lookup waiting on it
                .setIdleTimeout(millis(configs, READ_TIMEOUT_MS, DEFAULT_READ_TIMEOUT_MS))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setUserAgent("tandem-serde");
        var options = RegistryClientOptions.create(config.getRegistryUrl())
                .customWebClient(withToken(WebClient.create(SharedVertx.INSTANCE, http), config))
                // one retry policy, the caller's, with its own backoff and logging
                .disableRetry();
        return new RegistryClientFacadeImpl(RegistryClientFactory.create(options));
    }

    /**
     * The client with a bearer token when the configuration names a token endpoint (Apicurio with OIDC,
     * deploy/kubernetes): client credentials of the service's own client, fetched and renewed by Vert.x. The serde's
     * own OAuth2 setting cannot be combined with a custom client, so it is added here.
     */
    static WebClient withToken(WebClient client, SchemaResolverConfig config) {
        String tokenEndpoint = config.getTokenEndpoint();
        if (tokenEndpoint == null || tokenEndpoint.isBlank()) {
            return client;
        }
        OAuth2Options oauth = new OAuth2Options()
                .setFlow(OAuth2FlowType.CLIENT)
                .setTokenPath(tokenEndpoint)
                .setClientId(config.getAuthClientId())
                .setClientSecret(config.getAuthClientSecret());
        return OAuth2WebClient.create(client, OAuth2Auth.create(SharedVertx.INSTANCE, oauth))
                .withCredentials(new Oauth2Credentials());
    }

    /**
     * Whether a failed lookup may succeed when tried again: the registry could not be reached, did not answer in
     * time, closed the connection, or answered 408, 429 or 5xx. An unknown schema id or content that does not
     * parse is not transient.
     */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ApiException api) {
                int status = api.getResponseStatusCode();
                return status == 408 || status == 429 || status >= 500;
            }
            if (t instanceof IOException || t instanceof TimeoutException || t instanceof VertxException) {
                return true;
            }
        }
        return false;
    }

    private static int millis(Map<String, ?> configs, String key, int fallback) {
        Object value = configs.get(key);
        if (value == null || value.toString().isBlank()) {
            return fallback;
        }
        int ms = Integer.parseInt(value.toString().strip());
        if (ms <= 0) {
            throw new IllegalArgumentException(key + " must be positive");
        }
        return ms;
    }

    /**
     * One event loop for all registry clients of the process, apart from the application's: a busy or blocked
     * application event loop cannot hold up a schema lookup, and the lookups cannot hold up requests.
     */
    private static final class SharedVertx {
        static final Vertx INSTANCE = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setUseDaemonThread(true));
    }
}
