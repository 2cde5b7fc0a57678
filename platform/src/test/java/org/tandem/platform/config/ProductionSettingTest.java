package org.tandem.platform.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The decision of {@link ProductionSettingsCheck}, without Quarkus: which settings are refused, and with which
 * line. That a packaged service really stops with these lines is proven by e2e's ProductionSettingsIT.
 */
class ProductionSettingTest {

    static final Set<ProductionSetting> ALL = EnumSet.allOf(ProductionSetting.class);

    static Map<String, String> production() {
        Map<String, String> c = new HashMap<>();
        c.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://db.internal:5432/tandem");
        c.put("quarkus.datasource.username", "referral_svc");
        c.put("quarkus.datasource.password", "s3cret-from-the-vault");
        c.put("quarkus.oidc.auth-server-url", "https://id.example.org/realms/tandem");
        c.put("quarkus.http.cors.origins", "https://tandem.example.org");
        c.put("quarkus.mailer.host", "smtp.example.org");
        c.put("tandem.case-files.current-hub-key", "hub-1");
        c.put("tandem.case-files.hub-keys.hub-1", "b3duLWh1Yi1rZXktb2YtdGhpcy1uZXR3b3JrLTAwMDA=");
        c.put("tandem.secrets.key-encryption-keys", "prod-1:b3duLWtleS1lbmNyeXB0aW9uLWtleS0wMDAwMDAwMDA=");
        c.put(
                "tandem.audit.anchor-key",
                "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"prod-anchor-1\","
                        + "\"x\":\"x-of-the-production-key\",\"y\":\"y-of-it\",\"d\":\"own-production-key-material\"}");
        c.put("kafka.security.protocol", "SASL_SSL");
        c.put("kafka.ssl.truststore.location", "/etc/tandem/kafka/ca.p12");
        c.put(
                "kafka.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"referral-service\" password=\"from-the-vault\";");
        return c;
    }

    static Function<String, Optional<String>> lookup(Map<String, String> c) {
        return name -> Optional.ofNullable(c.get(name)).filter(v -> !v.isBlank());
    }

    @Test
    void settings_of_its_own_pass() {
        assertThat(ProductionSettingsCheck.refusals(lookup(production()), ALL, false))
                .isEmpty();
    }

    @Test
    void each_missing_setting_is_refused_with_one_line_naming_variable_and_property() {
        for (ProductionSetting s : ALL) {
            Map<String, String> c = production();
            c.remove(s.property(lookup(c)));
            assertThat(ProductionSettingsCheck.refusals(lookup(c), ALL, false))
                    .as(s.name())
                    .containsExactly("Refusing to start: " + s.environmentVariable() + " (" + s.property(lookup(c))
                            + ") is missing. Production needs its own value (docs/security.md).");
            // the local stack must set it too
            assertThat(ProductionSettingsCheck.refusals(lookup(c), ALL, true))
                    .as(s.name())
                    .hasSize(1);
        }
    }

    @Test
    void each_development_value_is_refused_but_allowed_on_the_local_stack() {
        for (ProductionSetting s : ALL) {
            Map<String, String> c = production();
            c.put(s.property(lookup(c)), s.developmentValue());
            assertThat(ProductionSettingsCheck.refusals(lookup(c), ALL, false))
                    .as(s.name())
                    .containsExactly("Refusing to start: " + s.environmentVariable() + " (" + s.property(lookup(c))
                            + ") is still the development value. Production needs its own value (docs/security.md).");
            assertThat(ProductionSettingsCheck.refusals(lookup(c), ALL, true))
                    .as(s.name())
                    .isEmpty();
        }
    }

    @Test
    void a_blank_value_counts_as_missing() {
        Map<String, String> c = production();
        c.put("quarkus.datasource.password", "  ");
        assertThat(ProductionSettingsCheck.refusals(lookup(c), ALL, false))
                .singleElement()
                .asString()
                .contains("TANDEM_DB_PASSWORD (quarkus.datasource.password) is missing");
    }

    @Test
    void a_development_value_inside_a_list_is_found() {
        Map<String, String> c = production();
        c.put("quarkus.http.cors.origins", "https://tandem.example.org, http://localhost:18104/");
        c.put(
                "tandem.secrets.key-encryption-keys",
                "prod-2:bmV3LWtleS1lbmNyeXB0aW9uLWtleS0wMDAwMDAwMDA=,renamed:dGFuZGVtLWRldmVsb3BtZW50LWtlay0wMDAwMDAwMDA=");
        assertThat(ProductionSettingsCheck.refusals(lookup(c), ALL, false))
                .hasSize(2)
                .anySatisfy(l -> assertThat(l).contains("TANDEM_WEB_ORIGIN"))
                .anySatisfy(l -> assertThat(l).contains("TANDEM_SECRETS_KEK"));
    }

    @Test
    void kafka_needs_tls_with_the_clusters_ca_and_a_login() {
        Set<ProductionSetting> kafka = Set.of(ProductionSetting.KAFKA_SECURITY_PROTOCOL);
        for (String withoutTls : List.of("PLAINTEXT", "SASL_PLAINTEXT", " plaintext ")) {
            Map<String, String> c = production();
            c.put("kafka.security.protocol", withoutTls);
            assertThat(ProductionSettingsCheck.refusals(lookup(c), kafka, false))
                    .as(withoutTls)
                    .containsExactly(ProductionSettingsCheck.developmentValue(
                            ProductionSetting.KAFKA_SECURITY_PROTOCOL, "kafka.security.protocol"));
            // the local stack could run without TLS (it does not: deploy/devstack gives it SASL_SSL)
            assertThat(ProductionSettingsCheck.refusals(lookup(c), kafka, true)).isEmpty();
        }

        Map<String, String> c = production();
        c.remove("kafka.ssl.truststore.location");
        c.remove("kafka.sasl.jaas.config");
        assertThat(ProductionSettingsCheck.refusals(lookup(c), kafka, false))
                .containsExactly(
                        "Refusing to start: KAFKA_SSL_TRUSTSTORE_LOCATION (kafka.ssl.truststore.location) is missing."
                                + " Production needs its own value (docs/security.md).",
                        "Refusing to start: KAFKA_SASL_JAAS_CONFIG (kafka.sasl.jaas.config) is missing."
                                + " Production needs its own value (docs/security.md).");
        // and on the local stack too: TLS without the CA is refused there as well
        assertThat(ProductionSettingsCheck.refusals(lookup(c), kafka, true)).hasSize(2);

        // mutual TLS needs no SASL login; the CA may come as PEM certificates instead of a store
        c.put("kafka.security.protocol", "SSL");
        c.put("kafka.ssl.truststore.certificates", "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----");
        assertThat(ProductionSettingsCheck.refusals(lookup(c), kafka, false)).isEmpty();
        c.put("kafka.ssl.truststore.certificates", " ");
        assertThat(ProductionSettingsCheck.refusals(lookup(c), kafka, false))
                .singleElement()
                .asString()
                .contains("KAFKA_SSL_TRUSTSTORE_LOCATION");
    }

    @Test
    void the_hub_key_checked_is_the_current_one() {
        Map<String, String> c = production();
        c.put("tandem.case-files.current-hub-key", "hub-2");
        List<String> refusals =
                ProductionSettingsCheck.refusals(lookup(c), Set.of(ProductionSetting.CASE_FILE_HUB_KEY), false);
        assertThat(refusals)
                .containsExactly(ProductionSettingsCheck.missing(
                        ProductionSetting.CASE_FILE_HUB_KEY, "tandem.case-files.hub-keys.hub-2"));
        c.put("tandem.case-files.hub-keys.hub-2", "bmV4dC1odWIta2V5LW9mLXRoaXMtbmV0d29yay0wMDA=");
        assertThat(ProductionSettingsCheck.refusals(lookup(c), Set.of(ProductionSetting.CASE_FILE_HUB_KEY), false))
                .isEmpty();
    }

    @Test
    void only_the_settings_a_service_lists_are_checked() {
        Map<String, String> c = production();
        c.remove("quarkus.mailer.host");
        assertThat(ProductionSettingsCheck.refusals(
                        lookup(c), EnumSet.complementOf(EnumSet.of(ProductionSetting.SMTP_HOST)), false))
                .isEmpty();
        assertThatThrownBy(() -> ProductionSetting.named("smtp-hots"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("smtp-host");
        assertThat(ProductionSetting.named("key-encryption-keys")).isEqualTo(ProductionSetting.KEY_ENCRYPTION_KEYS);
    }

    /** The %dev and %test defaults of the platform's configuration are the development values, and the base has none. */
    @Test
    void the_platform_configuration_has_development_values_only_in_dev_and_test() throws IOException {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/microprofile-config.properties")) {
            p.load(in);
        }
        for (String listed : p.getProperty("tandem.production.settings").split(",")) {
            ProductionSetting s = ProductionSetting.named(listed);
            if (s == ProductionSetting.KAFKA_SECURITY_PROTOCOL) {
                // read at build time too, where an empty value fails the build: only the variable sets it
                assertThat(p.getProperty(s.property())).as(s.property()).isNull();
            } else {
                assertThat(p.getProperty(s.property()))
                        .as(s.property())
                        .isEqualTo("${" + s.environmentVariable() + ":}");
            }
            for (String profile : List.of("%dev.", "%test.")) {
                assertThat(p.getProperty(profile + s.property()))
                        .as(profile + s.property())
                        .isEqualTo("${" + s.environmentVariable() + ":" + s.developmentValue() + "}");
            }
        }
    }
}
