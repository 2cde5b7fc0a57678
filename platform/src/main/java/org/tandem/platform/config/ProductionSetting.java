package org.tandem.platform.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * A setting that a service must be given in production, with its development value: the one place where
 * the development values are known (docs/security.md, "Production refuses development settings"). The
 * {@code %dev} and {@code %test} lines of the configuration files use the same values
 * ({@code ProductionSettingTest} keeps them equal), and {@link ProductionSettingsCheck} refuses them in
 * production.
 */
public enum ProductionSetting {
    DATABASE_URL("quarkus.datasource.jdbc.url", "TANDEM_DB_URL", "jdbc:postgresql://localhost:18432/tandem"),
    DATABASE_USER("quarkus.datasource.username", "TANDEM_DB_USER", "tandem"),
    DATABASE_PASSWORD("quarkus.datasource.password", "TANDEM_DB_PASSWORD", "tandem"),
    OIDC_ISSUER("quarkus.oidc.auth-server-url", "TANDEM_OIDC_URL", "http://localhost:18180/realms/tandem"),
    WEB_ORIGIN("quarkus.http.cors.origins", "TANDEM_WEB_ORIGIN", "http://localhost:18104"),
    /**
     * How every Kafka client connects (docs/security.md, "Kafka transport security"): production needs TLS,
     * {@code SASL_SSL} or {@code SSL}; any protocol without TLS counts as the development value. With TLS, the
     * cluster's CA must be given ({@code kafka.ssl.truststore.location} or {@code .certificates}), and with SASL its
     * login ({@code kafka.sasl.jaas.config}).
     */
    KAFKA_SECURITY_PROTOCOL("kafka.security.protocol", "KAFKA_SECURITY_PROTOCOL", "PLAINTEXT") {
        @Override
        boolean isDevelopmentValue(String value) {
            String v = value.strip().toUpperCase(java.util.Locale.ROOT);
            return !v.equals("SSL") && !v.equals("SASL_SSL");
        }

        @Override
        java.util.List<String> alsoRequired(Function<String, Optional<String>> config, String value) {
            java.util.List<String> out = new java.util.ArrayList<>();
            if (config.apply("kafka.ssl.truststore.location").isEmpty()
                    && config.apply("kafka.ssl.truststore.certificates").isEmpty()) {
                out.add(ProductionSettingsCheck.missing(
                        "KAFKA_SSL_TRUSTSTORE_LOCATION", "kafka.ssl.truststore.location"));
            }
            if (value.strip().equalsIgnoreCase("SASL_SSL")
                    && config.apply("kafka.sasl.jaas.config").isEmpty()) {
                out.add(ProductionSettingsCheck.missing("KAFKA_SASL_JAAS_CONFIG", "kafka.sasl.jaas.config"));
            }
            return out;
        }
    },
    SMTP_HOST("quarkus.mailer.host", "TANDEM_SMTP_HOST", "localhost"),
    /** The current hub key, which wraps the data keys of new case files (docs/case-files.md). */
    CASE_FILE_HUB_KEY(
            "tandem.case-files.hub-keys.hub-1",
            "TANDEM_CASE_FILE_HUB_KEY",
            "dGFuZGVtLWRldmVsb3BtZW50LWh1Yi1rZXktMDAwMDA=") { // "tandem-development-hub-key-00000"
        @Override
        public String property(Function<String, Optional<String>> config) {
            return HUB_KEYS
                    + config.apply(CURRENT_HUB_KEY)
                            .filter(s -> !s.isBlank())
                            .orElse("hub-1")
                            .strip();
        }
    },
    /** The key-encryption keys of secrets at rest, {@code id:base64(32 bytes)[,id:base64...]}, first = current. */
    KEY_ENCRYPTION_KEYS(
            "tandem.secrets.key-encryption-keys",
            "TANDEM_SECRETS_KEK",
            "dev-1:dGFuZGVtLWRldmVsb3BtZW50LWtlay0wMDAwMDAwMDA=") {
        @Override
        boolean isDevelopmentValue(String value) {
            // the key material decides, whatever id it is listed under
            String devKey = material(developmentValue());
            return items(value).anyMatch(item -> material(item).equals(devKey));
        }

        private static String material(String item) {
            return item.substring(item.indexOf(':') + 1).strip();
        }
    },
    /**
     * The private key that signs the audit chain's anchors (an EC P-256 JWK, ES256), which the database must never
     * hold (docs/privacy.md, "Audit trust model"). The key material ({@code d}) decides, whatever its kid.
     */
    AUDIT_ANCHOR_KEY(
            "tandem.audit.anchor-key",
            "TANDEM_AUDIT_ANCHOR_KEY",
            "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"dev-anchor-1\","
                    + "\"x\":\"OeXWuIv2JwfKqdJp-ixbkh_K08yC4nKieuAk3csdI3U\",\"y\":\"4UyhfuX2oMFGdJi1mpgjzcV33NZVrOF9J9ar-nzdemo\","
                    + "\"d\":\"c4fjXuJgEj6LUYr05l-sTOU-xINttypgAxOii5zjnQI\"}") {
        @Override
        boolean isDevelopmentValue(String value) {
            return value.replaceAll("\\s", "").contains("\"d\":\"c4fjXuJgEj6LUYr05l-sTOU-xINttypgAxOii5zjnQI\"");
        }
    };

    static final String HUB_KEYS = "tandem.case-files.hub-keys.";
    static final String CURRENT_HUB_KEY = "tandem.case-files.current-hub-key";

    private final String property;
    private final String environmentVariable;
    private final String developmentValue;

    ProductionSetting(String property, String environmentVariable, String developmentValue) {
        this.property = property;
        this.environmentVariable = environmentVariable;
        this.developmentValue = developmentValue;
    }

    /** The configuration property, as the configuration names it. */
    public String property() {
        return property;
    }

    /** The property, where it depends on other configuration (the current hub key's id). */
    public String property(Function<String, Optional<String>> config) {
        return property;
    }

    /** The environment variable that sets the property (production manifests, the local stack). */
    public String environmentVariable() {
        return environmentVariable;
    }

    /** The value the {@code %dev} and {@code %test} profiles and the examples use; never valid in production. */
    public String developmentValue() {
        return developmentValue;
    }

    /**
     * The lines for settings that a production value of this one needs as well (none, but for Kafka's protocol);
     * {@code value} is set and not the development value.
     */
    java.util.List<String> alsoRequired(Function<String, Optional<String>> config, String value) {
        return java.util.List.of();
    }

    /** Whether a value is, or (for a list) contains, the development value. */
    boolean isDevelopmentValue(String value) {
        return items(value).anyMatch(item -> normalise(item).equals(normalise(developmentValue)));
    }

    static java.util.stream.Stream<String> items(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static String normalise(String s) {
        String t = s.strip();
        return t.endsWith("/") ? t.substring(0, t.length() - 1) : t;
    }

    /** The name used in {@code tandem.production.settings}: lower case, with hyphens ({@code database-url}). */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The setting named {@code name} ({@link #configName()} or the constant's name). */
    public static ProductionSetting named(String name) {
        String n = name.strip();
        for (ProductionSetting s : values()) {
            if (s.configName().equalsIgnoreCase(n) || s.name().equalsIgnoreCase(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("tandem.production.settings names no known setting: '" + n + "'; known: "
                + Arrays.stream(values()).map(ProductionSetting::configName).toList());
    }
}
