package org.tandem.testing;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import org.tandem.devstack.KafkaSecurity;

/**
 * Points a {@code @QuarkusTest} service at the real infrastructure of {@link TestInfrastructure}: its own
 * database schema and role, Kafka (TLS, and its own SCRAM user), the schema registry and Keycloak. Use with
 * {@code @WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))}.
 */
public class TandemInfraResource implements QuarkusTestResourceLifecycleManager {

    private String service = "referral";

    @Override
    public void init(Map<String, String> initArgs) {
        service = initArgs.getOrDefault("service", service);
    }

    @Override
    public Map<String, String> start() {
        var e = TestInfrastructure.endpoints();
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.datasource.jdbc.url", e.jdbcUrl());
        config.put("quarkus.datasource.username", e.dbUser(service));
        config.put("quarkus.datasource.password", e.dbPassword(service));
        config.put("kafka.bootstrap.servers", e.kafkaBootstrap());
        // TLS and SCRAM as the service's own Kafka user, as on the local stack
        KafkaSecurity.of(e.stateDir())
                .clientProperties(KafkaSecurity.user(service))
                .forEach((key, value) -> config.put("kafka." + key, value));
        config.put("mp.messaging.connector.smallrye-kafka.apicurio.registry.url", e.schemaRegistryUrl());
        config.put("quarkus.oidc.auth-server-url", e.oidcIssuer());
        if (service.equals("notification")) {
            // e-mail goes to a real SMTP server that the tests start and read (SmtpSink)
            config.put("quarkus.mailer.host", "127.0.0.1");
            config.put("quarkus.mailer.port", Integer.toString(SmtpSink.port(e)));
        }
        return config;
    }

    @Override
    public void stop() {
        // The infrastructure outlives one test class; TestInfrastructure or ./tandem test stops it.
    }
}
