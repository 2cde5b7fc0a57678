package org.tandem.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.tandem.devstack.Endpoints;
import org.tandem.devstack.KafkaSecurity;
import org.tandem.devstack.Services;
import org.tandem.platform.config.ProductionSetting;
import org.tandem.testing.RunningServices;
import org.tandem.testing.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each packaged service (its fast-jar, {@code java -jar quarkus-run.jar}), started in the production profile
 * with one of its production settings missing or still the development value, stops with exit status 1 and
 * exactly one line that names the setting: its environment variable and its property (docs/security.md,
 * "Production refuses development settings"). The refusal comes before the service touches the database,
 * Keycloak or Kafka, so these runs need none. And the same jars, given settings of their own (the test
 * infrastructure's addresses, fresh keys), start and answer ready in the production profile.
 */
class ProductionSettingsIT {

    static final Duration REFUSAL_WITHIN = Duration.ofSeconds(120);
    static final Duration READY_WITHIN = Duration.ofSeconds(300);

    /** What each service must be given in production. */
    static final Map<String, Set<ProductionSetting>> REQUIRED = new LinkedHashMap<>();

    static {
        Set<ProductionSetting> shared = EnumSet.of(
                ProductionSetting.DATABASE_URL,
                ProductionSetting.DATABASE_USER,
                ProductionSetting.DATABASE_PASSWORD,
                ProductionSetting.OIDC_ISSUER,
                ProductionSetting.WEB_ORIGIN,
                ProductionSetting.KAFKA_SECURITY_PROTOCOL,
                ProductionSetting.AUDIT_ANCHOR_KEY);
        REQUIRED.put("registry", shared);
        Set<ProductionSetting> referral = EnumSet.copyOf(shared);
        referral.add(ProductionSetting.CASE_FILE_HUB_KEY);
        REQUIRED.put("referral", referral);
        Set<ProductionSetting> notification = EnumSet.copyOf(shared);
        notification.add(ProductionSetting.SMTP_HOST);
        notification.add(ProductionSetting.KEY_ENCRYPTION_KEYS);
        REQUIRED.put("notification", notification);
    }

    enum Fault {
        MISSING,
        DEVELOPMENT_VALUE
    }

    static Stream<Arguments> everySettingOfEveryService() {
        List<Arguments> out = new ArrayList<>();
        REQUIRED.forEach((service, settings) -> settings.forEach(s -> {
            for (Fault f : Fault.values()) {
                out.add(Arguments.of(service, s, f));
            }
        }));
        return out.stream();
    }

    /** Settings of their own for every production setting; none is a development value, none is reachable. */
    static Map<String, String> ownSettings(String service) {
        Map<String, String> env = new HashMap<>();
        env.put("TANDEM_DB_URL", "jdbc:postgresql://db.tandem.invalid:5432/tandem");
        env.put("TANDEM_DB_USER", service + "_svc");
        env.put("TANDEM_DB_PASSWORD", "a-password-of-its-own-" + service);
        env.put("TANDEM_OIDC_URL", "https://id.tandem.invalid/realms/tandem");
        env.put("TANDEM_WEB_ORIGIN", "https://tandem.invalid");
        env.put("TANDEM_SMTP_HOST", "smtp.tandem.invalid");
        env.put("TANDEM_CASE_FILE_HUB_KEY", randomKey());
        env.put("TANDEM_SECRETS_KEK", "prod-1:" + randomKey());
        env.put("TANDEM_AUDIT_ANCHOR_KEY", anchorKey());
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        env.put("KAFKA_SASL_JAAS_CONFIG", KafkaSecurity.jaas(service + "-service", "a-password-of-its-own"));
        env.put("KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/tandem/kafka/ca.p12");
        return env;
    }

    @ParameterizedTest(name = "{0}-service, {1}: {2}")
    @MethodSource("everySettingOfEveryService")
    void a_packaged_service_refuses_to_start_without_a_production_setting_of_its_own(
            String service, ProductionSetting setting, Fault fault) throws Exception {
        Map<String, String> env = ownSettings(service);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(freePort()));
        String state;
        if (fault == Fault.MISSING) {
            env.remove(setting.environmentVariable());
            state = "is missing";
        } else {
            env.put(setting.environmentVariable(), setting.developmentValue());
            state = "is still the development value";
        }

        Run run = start(service, env);
        assertThat(run.process.waitFor(REFUSAL_WITHIN.toSeconds(), TimeUnit.SECONDS))
                .as("%s-service stops by itself (output: %s)", service, run.log)
                .isTrue();
        String output = Files.readString(run.log, StandardCharsets.UTF_8);
        assertThat(run.process.exitValue())
                .as("exit status; output:%n%s", output)
                .isEqualTo(1);
        List<String> refusals =
                output.lines().filter(l -> l.contains("Refusing to start")).toList();
        assertThat(refusals)
                .as("output:%n%s", output)
                .containsExactly("Refusing to start: "
                        + setting.environmentVariable() + " (" + setting.property() + ") " + state
                        + ". Production needs its own value (docs/security.md).");
        assertThat(output).as("no stack trace, no attempt to reach anything").doesNotContain("\tat ", "Exception");
        Files.deleteIfExists(run.log);
    }

    @Test
    void a_packaged_service_refuses_a_development_value_anywhere_in_a_list() throws Exception {
        Map<String, String> env = ownSettings("notification");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(freePort()));
        env.put("TANDEM_WEB_ORIGIN", "https://tandem.invalid," + ProductionSetting.WEB_ORIGIN.developmentValue());
        Run run = start("notification", env);
        assertThat(run.process.waitFor(REFUSAL_WITHIN.toSeconds(), TimeUnit.SECONDS))
                .isTrue();
        String output = Files.readString(run.log, StandardCharsets.UTF_8);
        assertThat(run.process.exitValue()).as(output).isEqualTo(1);
        assertThat(output.lines().filter(l -> l.contains("Refusing to start")))
                .as(output)
                .containsExactly("Refusing to start: TANDEM_WEB_ORIGIN (quarkus.http.cors.origins) is still the"
                        + " development value. Production needs its own value (docs/security.md).");
        Files.deleteIfExists(run.log);
    }

    /** Kafka over TLS without the cluster's CA, or with SASL but without a login, is refused too. */
    @Test
    void a_packaged_service_refuses_kafka_over_tls_without_the_clusters_ca_or_its_login() throws Exception {
        Map<String, String> env = ownSettings("registry");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(freePort()));
        env.remove("KAFKA_SSL_TRUSTSTORE_LOCATION");
        env.remove("KAFKA_SASL_JAAS_CONFIG");
        Run run = start("registry", env);
        assertThat(run.process.waitFor(REFUSAL_WITHIN.toSeconds(), TimeUnit.SECONDS))
                .isTrue();
        String output = Files.readString(run.log, StandardCharsets.UTF_8);
        assertThat(run.process.exitValue()).as(output).isEqualTo(1);
        assertThat(output.lines().filter(l -> l.contains("Refusing to start")))
                .as(output)
                .containsExactly(
                        "Refusing to start: KAFKA_SSL_TRUSTSTORE_LOCATION (kafka.ssl.truststore.location) is missing."
                                + " Production needs its own value (docs/security.md).",
                        "Refusing to start: KAFKA_SASL_JAAS_CONFIG (kafka.sasl.jaas.config) is missing."
                                + " Production needs its own value (docs/security.md).");
        Files.deleteIfExists(run.log);
    }

    /**
     * The positive case: every service, in the production profile with settings of its own (the test
     * infrastructure is on ports that are not the development ones), passes the check and becomes ready.
     */
    @Test
    void with_settings_of_their_own_the_packaged_services_start_in_production() throws Exception {
        Endpoints e = TestInfrastructure.endpoints();
        assertThat(e.jdbcUrl())
                .as("the test infrastructure must not use the development ports")
                .isNotEqualTo(ProductionSetting.DATABASE_URL.developmentValue());
        List<Run> runs = new ArrayList<>();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            Map<String, Integer> ports = new LinkedHashMap<>();
            // one after the other: three JVMs starting at once on a small machine time out on their database
            for (String service : REQUIRED.keySet()) {
                int port = freePort();
                ports.put(service, port);
                Map<String, String> env = new HashMap<>();
                env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
                env.put("TANDEM_DB_URL", e.jdbcUrl());
                env.put("TANDEM_DB_USER", e.dbUser(service));
                env.put("TANDEM_DB_PASSWORD", e.dbPassword(service));
                env.put("QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "60S");
                env.put("TANDEM_KAFKA_BOOTSTRAP", e.kafkaBootstrap());
                env.putAll(KafkaSecurity.of(e.stateDir()).environment(KafkaSecurity.user(service)));
                env.put("TANDEM_SCHEMA_REGISTRY_URL", e.schemaRegistryUrl());
                env.put("TANDEM_OIDC_URL", e.oidcIssuer());
                env.put("TANDEM_WEB_ORIGIN", "https://tandem.invalid");
                env.put("TANDEM_SMTP_HOST", "127.0.0.1"); // not the development value, the same machine
                env.put("TANDEM_SMTP_PORT", Integer.toString(e.smtpPort()));
                env.put("TANDEM_REGISTRY_URL", "http://localhost:" + ports.get("registry"));
                env.put("TANDEM_CASE_FILE_HUB_KEY", randomKey());
                env.put("TANDEM_SECRETS_KEK", "prod-1:" + randomKey());
                env.put("TANDEM_AUDIT_ANCHOR_KEY", anchorKey());
                Run run = start(service, env);
                runs.add(run);
                Instant deadline = Instant.now().plus(READY_WITHIN);
                while (!ready(http, port)) {
                    assertThat(run.process.isAlive())
                            .as(
                                    "%s-service runs; output:%n%s",
                                    service, Files.readString(run.log, StandardCharsets.UTF_8))
                            .isTrue();
                    assertThat(Instant.now())
                            .as(
                                    "%s-service ready in time; output:%n%s",
                                    service, Files.readString(run.log, StandardCharsets.UTF_8))
                            .isBefore(deadline);
                    Thread.sleep(500);
                }
                String output = Files.readString(run.log, StandardCharsets.UTF_8);
                assertThat(output).contains("Profile prod activated").doesNotContain("Refusing to start");
                // Swagger UI is off in production; the OpenAPI document stays
                assertThat(status(http, port, "/q/swagger-ui/")).isEqualTo(404);
                assertThat(status(http, port, "/q/openapi")).isEqualTo(200);
            }
        } finally {
            for (Run run : runs) {
                run.process.destroy();
            }
            for (Run run : runs) {
                if (!run.process.waitFor(30, TimeUnit.SECONDS)) {
                    run.process.destroyForcibly();
                }
                Files.deleteIfExists(run.log);
            }
        }
    }

    record Run(Process process, Path log) {}

    /** Starts a packaged service in the production profile with exactly {@code settings}: nothing inherited. */
    static Run start(String service, Map<String, String> settings) throws IOException {
        Services.Service s = Services.ALL.stream()
                .filter(x -> x.name().equals(service))
                .findFirst()
                .orElseThrow();
        Path jar = s.jar(RunningServices.repoRoot());
        assertThat(jar)
                .as("the packaged %s (mvn package builds it)", s.module())
                .isRegularFile();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-jar", jar.toString());
        Map<String, String> env = pb.environment();
        // no TANDEM_* or QUARKUS_* from the test's own environment (./tandem test sets some)
        env.keySet().removeIf(k -> k.startsWith("TANDEM_") || k.startsWith("QUARKUS_"));
        env.putAll(settings);
        Path log = Files.createTempFile("production-settings-" + service + "-", ".log");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return new Run(pb.start(), log);
    }

    static boolean ready(HttpClient http, int port) {
        return status(http, port, "/q/health/ready") == 200;
    }

    static int status(HttpClient http, int port, String path) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A fresh EC P-256 private JWK with a kid, as the audit anchor key (tandem.audit.anchor-key). */
    static String anchorKey() {
        try {
            var g = java.security.KeyPairGenerator.getInstance("EC");
            g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            var pair = g.generateKeyPair();
            var pub = (java.security.interfaces.ECPublicKey) pair.getPublic();
            var priv = (java.security.interfaces.ECPrivateKey) pair.getPrivate();
            return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"prod-anchor-1\",\"x\":\""
                    + b64(pub.getW().getAffineX()) + "\",\"y\":\""
                    + b64(pub.getW().getAffineY()) + "\",\"d\":\"" + b64(priv.getS()) + "\"}";
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(java.math.BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - n, out, 32 - n, n);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
