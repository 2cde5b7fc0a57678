package org.tandem.devstack;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointsTest {

    private final StackConfig cfg = StackConfig.builder()
            .environment(Map.of())
            .stateDir(Path.of("/tmp/s"))
            .portBase(18000)
            .build();

    @Test
    void derivedFromTheConfig() {
        Endpoints e = Endpoints.of(cfg);
        assertThat(e.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:18432/tandem");
        assertThat(e.apicurioJdbcUrl()).isEqualTo("jdbc:postgresql://localhost:18432/apicurio");
        assertThat(e.kafkaBootstrap()).isEqualTo("localhost:18092");
        assertThat(e.schemaRegistryUrl()).isEqualTo("http://localhost:18080/apis/registry/v3");
        assertThat(e.keycloakUrl()).isEqualTo("http://localhost:18180");
        assertThat(e.oidcIssuer()).isEqualTo("http://localhost:18180/realms/tandem");
        assertThat(e.serviceUrl("referral")).isEqualTo("http://localhost:18102");
        assertThat(e.dbUser("referral")).isEqualTo("referral_svc");
        assertThat(e.dbPassword("notification")).isEqualTo("notification_svc");
        assertThat(e.dbSchema("registry")).isEqualTo("registry");
        assertThatThrownBy(() -> e.dbUser("billing")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void survivesTheRoundTripThroughAFile(@TempDir Path dir) {
        Endpoints e = Endpoints.of(cfg);
        Path f = dir.resolve("sub/endpoints.properties");
        e.writeTo(f);
        assertThat(Endpoints.readFrom(f)).isEqualTo(e);
    }

    @Test
    void servicesGetTheirOwnRoleAndTheSharedEndpoints(@TempDir Path dir) {
        StackConfig cfg = this.cfg.toBuilder().stateDir(dir).build();
        Endpoints e = Endpoints.of(cfg);
        Services.Service referral = Services.ALL.get(1);
        Map<String, String> env = Services.environment(cfg, e, referral);
        assertThat(env)
                .containsEntry("QUARKUS_HTTP_PORT", "18102")
                .containsEntry("TANDEM_DB_URL", "jdbc:postgresql://localhost:18432/tandem")
                .containsEntry("TANDEM_DB_USER", "referral_svc")
                .containsEntry("TANDEM_DB_PASSWORD", "referral_svc")
                .containsEntry("TANDEM_KAFKA_BOOTSTRAP", "localhost:18092")
                .containsEntry("TANDEM_SCHEMA_REGISTRY_URL", "http://localhost:18080/apis/registry/v3")
                .containsEntry("TANDEM_OIDC_URL", "http://localhost:18180/realms/tandem")
                .containsEntry("TANDEM_WEBHOOK_ALLOW_LOOPBACK", "true")
                .containsEntry("TANDEM_WEB_ORIGIN", "http://localhost:18104")
                .containsEntry("TANDEM_SMTP_HOST", "localhost")
                .containsEntry("QUARKUS_PROFILE", "local")
                .containsEntry("QUARKUS_SWAGGER_UI_ENABLED", "true")
                .containsKey("TANDEM_CASE_FILE_HUB_KEY")
                .doesNotContainKey("TANDEM_SECRETS_KEK");
        assertThat(Services.environment(cfg, e, Services.ALL.get(2)))
                .containsKey("TANDEM_SECRETS_KEK")
                .doesNotContainKey("TANDEM_CASE_FILE_HUB_KEY");
        // Kafka: TLS and SCRAM as the service's own user; the web module gets no Kafka credentials
        KafkaSecurity kafka = KafkaSecurity.of(dir);
        assertThat(env)
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry(
                        "KAFKA_SASL_JAAS_CONFIG",
                        KafkaSecurity.jaas("referral-service", kafka.password("referral-service")))
                .containsEntry(
                        "KAFKA_SSL_TRUSTSTORE_LOCATION", kafka.truststore().toString())
                .containsEntry("KAFKA_SSL_TRUSTSTORE_PASSWORD", kafka.truststorePassword());
        assertThat(kafka.truststore()).isRegularFile();
        assertThat(Services.environment(cfg, e, Services.ALL.get(0)).get("KAFKA_SASL_JAAS_CONFIG"))
                .contains("username=\"registry-service\"")
                .doesNotContain(kafka.password("referral-service"));
        assertThat(Services.environment(cfg, e, Services.ALL.get(3)))
                .doesNotContainKeys("KAFKA_SASL_JAAS_CONFIG", "TANDEM_DB_PASSWORD");
        assertThat(referral.jar(Path.of("/repo")))
                .isEqualTo(Path.of("/repo/referral-service/target/quarkus-app/quarkus-run.jar"));
    }

    @Test
    void aStackKeepsItsKeysAcrossRestartsAndAnotherStackGetsOthers(@TempDir Path one, @TempDir Path two) {
        StackSecrets first = StackSecrets.of(one);
        assertThat(StackSecrets.of(one)).isEqualTo(first);
        assertThat(java.util.Base64.getDecoder().decode(first.hubKey())).hasSize(32);
        assertThat(first.keyEncryptionKeys()).startsWith("stack-1:");
        assertThat(java.util.Base64.getDecoder()
                        .decode(first.keyEncryptionKeys().substring("stack-1:".length())))
                .hasSize(32);
        KafkaSecurity kafka = KafkaSecurity.of(one);
        assertThat(KafkaSecurity.of(one).password(KafkaSecurity.ADMIN)).isEqualTo(kafka.password(KafkaSecurity.ADMIN));
        assertThat(KafkaSecurity.of(two).password(KafkaSecurity.ADMIN))
                .isNotEqualTo(kafka.password(KafkaSecurity.ADMIN));
        assertThat(KafkaSecurity.users())
                .containsExactly("tandem-admin", "registry-service", "referral-service", "notification-service");
        assertThat(KafkaSecurity.users().stream().map(kafka::password).distinct())
                .hasSize(4);
        StackSecrets other = StackSecrets.of(two);
        assertThat(other.hubKey()).isNotEqualTo(first.hubKey());
        assertThat(other.keyEncryptionKeys()).isNotEqualTo(first.keyEncryptionKeys());
    }
}
