package org.tandem.devstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where every part of a running stack can be reached. {@link #writeTo} and {@link #readFrom} use a
 * properties file, so that a test JVM can use infrastructure that another process started.
 *
 * @param stateDir                 the state dir that owns the processes
 * @param jdbcUrl                  database {@code tandem}, which holds one schema per service
 * @param postgresPort             PostgreSQL's port
 * @param superuser                PostgreSQL superuser (for tests that need to look around)
 * @param superuserPassword        its password
 * @param apicurioJdbcUrl          database {@code apicurio}, the schema registry's storage
 * @param kafkaBootstrap           Kafka bootstrap servers
 * @param schemaRegistryUrl        Apicurio's v3 API, e.g. {@code http://localhost:18080/apis/registry/v3}
 * @param keycloakUrl              Keycloak's base URL, e.g. {@code http://localhost:18180}
 * @param realm                    the realm, {@code tandem}
 * @param keycloakAdminUser        Keycloak's bootstrap admin (master realm)
 * @param keycloakAdminPassword    its password
 * @param registryServicePort      where registry-service listens
 * @param referralServicePort      where referral-service listens
 * @param notificationServicePort  where notification-service listens
 * @param smtpPort                 the local SMTP sink (GreenMail, started with the services)
 */
public record Endpoints(
        Path stateDir,
        String jdbcUrl,
        int postgresPort,
        String superuser,
        String superuserPassword,
        String apicurioJdbcUrl,
        String kafkaBootstrap,
        String schemaRegistryUrl,
        String keycloakUrl,
        String realm,
        String keycloakAdminUser,
        String keycloakAdminPassword,
        int registryServicePort,
        int referralServicePort,
        int notificationServicePort,
        int smtpPort) {

    /** The services that own a database schema, named as in {@link #dbUser(String)}. */
    public static final List<String> SERVICES = List.of("registry", "referral", "notification");

    /** The login role of a service ({@code registry}, {@code referral}, {@code notification}). */
    public String dbUser(String service) {
        if (!SERVICES.contains(service)) {
            throw new IllegalArgumentException("unknown service " + service + ", expected one of " + SERVICES);
        }
        return service + "_svc";
    }

    /** Dev passwords are the role names. */
    public String dbPassword(String service) {
        return dbUser(service);
    }

    /** The database schema a service owns; same name as the service. */
    public String dbSchema(String service) {
        dbUser(service);
        return service;
    }

    public String oidcIssuer() {
        return keycloakUrl + "/realms/" + realm;
    }

    public String tokenEndpoint() {
        return oidcIssuer() + "/protocol/openid-connect/token";
    }

    public int servicePort(String service) {
        return switch (service) {
            case "registry" -> registryServicePort;
            case "referral" -> referralServicePort;
            case "notification" -> notificationServicePort;
            default -> throw new IllegalArgumentException("unknown service " + service);
        };
    }

    /**
     * Everything a Kafka client needs to reach this stack's broker as {@code user} (one of
     * {@link KafkaSecurity#users()}: {@link KafkaSecurity#ADMIN} for tests and tools, {@code <service>-service} for
     * a service): {@code bootstrap.servers} and the TLS and SCRAM settings. Callers add their own settings.
     */
    public Map<String, Object> kafkaClient(String user) {
        Map<String, Object> c = new HashMap<>(KafkaSecurity.of(stateDir).clientProperties(user));
        c.put("bootstrap.servers", kafkaBootstrap);
        return c;
    }

    /** {@link #kafkaClient(String)} as {@link KafkaSecurity#ADMIN}, for tests and tools. */
    public Map<String, Object> kafkaAdminClient() {
        return kafkaClient(KafkaSecurity.ADMIN);
    }

    public String serviceUrl(String service) {
        return "http://localhost:" + servicePort(service);
    }

    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("tandem.state-dir", stateDir.toString());
        p.setProperty("tandem.db.url", jdbcUrl);
        p.setProperty("tandem.db.port", Integer.toString(postgresPort));
        p.setProperty("tandem.db.superuser", superuser);
        p.setProperty("tandem.db.superuser-password", superuserPassword);
        for (String s : SERVICES) {
            p.setProperty("tandem.db." + s + ".user", dbUser(s));
            p.setProperty("tandem.db." + s + ".password", dbPassword(s));
            p.setProperty("tandem.db." + s + ".schema", dbSchema(s));
        }
        p.setProperty("tandem.apicurio.db.url", apicurioJdbcUrl);
        p.setProperty("tandem.kafka.bootstrap", kafkaBootstrap);
        p.setProperty("tandem.schema-registry.url", schemaRegistryUrl);
        p.setProperty("tandem.keycloak.url", keycloakUrl);
        p.setProperty("tandem.keycloak.realm", realm);
        p.setProperty("tandem.keycloak.admin.user", keycloakAdminUser);
        p.setProperty("tandem.keycloak.admin.password", keycloakAdminPassword);
        p.setProperty("tandem.oidc.issuer", oidcIssuer());
        p.setProperty("tandem.port.registry", Integer.toString(registryServicePort));
        p.setProperty("tandem.port.referral", Integer.toString(referralServicePort));
        p.setProperty("tandem.port.notification", Integer.toString(notificationServicePort));
        p.setProperty("tandem.port.smtp", Integer.toString(smtpPort));
        return p;
    }

    public static Endpoints fromProperties(Properties p) {
        return new Endpoints(
                Path.of(req(p, "tandem.state-dir")),
                req(p, "tandem.db.url"),
                Integer.parseInt(req(p, "tandem.db.port")),
                req(p, "tandem.db.superuser"),
                req(p, "tandem.db.superuser-password"),
                req(p, "tandem.apicurio.db.url"),
                req(p, "tandem.kafka.bootstrap"),
                req(p, "tandem.schema-registry.url"),
                req(p, "tandem.keycloak.url"),
                req(p, "tandem.keycloak.realm"),
                req(p, "tandem.keycloak.admin.user"),
                req(p, "tandem.keycloak.admin.password"),
                Integer.parseInt(req(p, "tandem.port.registry")),
                Integer.parseInt(req(p, "tandem.port.referral")),
                Integer.parseInt(req(p, "tandem.port.notification")),
                Integer.parseInt(req(p, "tandem.port.smtp")));
    }

    private static String req(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("endpoints file lacks " + key);
        }
        return v;
    }

    /** Writes atomically, so that a reader never sees half a file. */
    public void writeTo(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                toProperties().store(w, "Tandem dev stack endpoints (written by tandem-devstack)");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static Endpoints readFrom(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return fromProperties(p);
    }

    static Endpoints of(StackConfig cfg) {
        String pg = "jdbc:postgresql://localhost:" + cfg.port(Port.POSTGRES) + "/";
        return new Endpoints(
                cfg.stateDir(),
                pg + "tandem",
                cfg.port(Port.POSTGRES),
                Postgres.SUPERUSER,
                Postgres.SUPERUSER_PASSWORD,
                pg + "apicurio",
                "localhost:" + cfg.port(Port.KAFKA),
                "http://localhost:" + cfg.port(Port.APICURIO) + "/apis/registry/v3",
                "http://localhost:" + cfg.port(Port.KEYCLOAK),
                Keycloak.REALM,
                Keycloak.ADMIN_USER,
                Keycloak.ADMIN_PASSWORD,
                cfg.port(Port.REGISTRY),
                cfg.port(Port.REFERRAL),
                cfg.port(Port.NOTIFICATION),
                cfg.port(Port.SMTP));
    }
}
