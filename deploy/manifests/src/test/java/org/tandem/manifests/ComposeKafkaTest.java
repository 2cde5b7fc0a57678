package org.tandem.manifests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka of the compose stack (deploy/compose: docker-compose.yml, kafka.sh, generate-env) against the Kubernetes
 * manifests, which {@link KafkaSecurityManifestTest} checks against what the services do: the same ACLs per
 * service user, the same topics with the same retention, a broker that takes only TLS with SCRAM and authorises
 * every request, and services that log in as their own user over TLS with the stack's CA (docs/security.md,
 * section 9). Docker is not needed: the files are read as text and YAML.
 */
class ComposeKafkaTest {

    static final Path COMPOSE = Schemas.ROOT.resolve("deploy/compose");
    private static final Pattern ACL = Pattern.compile("(?m)^\\s*acl (\\S+) (topic|group) (\\S+) ([A-Za-z ]+)$");
    private static final Pattern TOPIC = Pattern.compile("(?m)^\\s*topic (\\S+) (\\d+) (.+)$");

    @Test
    void eachServiceUserHasExactlyTheAclsOfItsKafkaUser() throws IOException {
        Map<String, Set<String>> compose = new TreeMap<>();
        Matcher m = ACL.matcher(kafkaScript());
        while (m.find()) {
            for (String op : m.group(4).strip().split(" +")) {
                compose.computeIfAbsent(m.group(1), u -> new TreeSet<>()).add(m.group(2) + " " + m.group(3) + " " + op);
            }
        }
        assertThat(compose.keySet()).containsExactlyInAnyOrder(KafkaSecurityManifestTest.SERVICES);
        for (String service : KafkaSecurityManifestTest.SERVICES) {
            assertThat(compose.get(service))
                    .as("ACLs of " + service + " in kafka.sh")
                    .isEqualTo(KafkaSecurityManifestTest.acls(service));
        }
    }

    @Test
    void theTopicsAreTheKafkaTopicsWithTheirPartitionsAndRetention() throws IOException {
        Map<String, String> compose = new TreeMap<>();
        Matcher m = TOPIC.matcher(kafkaScript());
        while (m.find()) {
            compose.put(
                    m.group(1),
                    m.group(2) + " " + new TreeSet<>(Set.of(m.group(3).strip().split(" +"))));
        }
        Map<String, String> kubernetes = new TreeMap<>();
        for (Manifests.Document d : Manifests.resources()) {
            JsonNode t = d.tree();
            if (t.path("kind").asText().equals("KafkaTopic")) {
                Set<String> config = new TreeSet<>();
                for (String key : new String[] {"cleanup.policy", "retention.ms"}) {
                    config.add(key + "=" + t.at("/spec/config").path(key).asText());
                }
                kubernetes.put(
                        t.at("/metadata/name").asText(),
                        t.at("/spec/partitions").asInt() + " " + config);
            }
        }
        assertThat(kubernetes).isNotEmpty();
        assertThat(compose).isEqualTo(kubernetes);
    }

    @Test
    void theBrokerTakesOnlyTlsWithScramOrTheBrokersCertificateAndAuthorisesEveryRequest() throws IOException {
        Map<String, String> broker = serverProperties();
        assertThat(broker.get("listeners")).isEqualTo("SASL_SSL://:9092,CONTROLLER://:9093");
        assertThat(broker.get("listener.security.protocol.map")).isEqualTo("CONTROLLER:SSL,SASL_SSL:SASL_SSL");
        assertThat(broker.get("listener.name.controller.ssl.client.auth")).isEqualTo("required");
        assertThat(broker.get("sasl.enabled.mechanisms")).isEqualTo("$mechanism");
        assertThat(kafkaScript()).contains("mechanism=SCRAM-SHA-512\n");
        assertThat(broker.get("authorizer.class.name"))
                .isEqualTo("org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        assertThat(broker.get("allow.everyone.if.no.acl.found")).isEqualTo("false");
        assertThat(broker.get("super.users")).isEqualTo("User:$admin;User:CN=kafka-broker");
        assertThat(broker.get("ssl.truststore.certificates")).isEqualTo("$TANDEM_KAFKA_CA_CERTIFICATE");
        // the storage gets the admin and one user per service, each with its own password
        Matcher m = Pattern.compile("--add-scram \"\\$mechanism=\\[name=([^,]+),iterations=8192,password=\\$(\\w+)]\"")
                .matcher(kafkaScript());
        Map<String, String> users = new LinkedHashMap<>();
        while (m.find()) {
            users.put(m.group(1), m.group(2));
        }
        assertThat(users.keySet())
                .containsExactly("$admin", "registry-service", "referral-service", "notification-service");
        assertThat(Set.copyOf(users.values())).hasSize(4);
    }

    @Test
    void eachServiceLogsInAsItsOwnUserOverTlsTrustingTheStacksCa() {
        JsonNode services = compose().get("services");
        Set<String> logins = new TreeSet<>();
        for (String service : KafkaSecurityManifestTest.SERVICES) {
            JsonNode env = services.at("/" + service + "/environment");
            assertThat(env.path("KAFKA_SECURITY_PROTOCOL").asText()).as(service).isEqualTo("SASL_SSL");
            assertThat(env.path("KAFKA_SASL_MECHANISM").asText()).as(service).isEqualTo("SCRAM-SHA-512");
            assertThat(env.path("KAFKA_SSL_TRUSTSTORE_TYPE").asText())
                    .as(service)
                    .isEqualTo("PEM");
            assertThat(env.path("KAFKA_SSL_TRUSTSTORE_CERTIFICATES").asText())
                    .as(service)
                    .startsWith("${KAFKA_CA_CERTIFICATE:?");
            String user = service.substring(0, service.indexOf('-')).toUpperCase(java.util.Locale.ROOT);
            assertThat(env.path("KAFKA_SASL_JAAS_CONFIG").asText())
                    .as(service)
                    .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + service
                            + "\" password=\"${KAFKA_" + user + "_PASSWORD:?}\";");
            logins.add(env.path("KAFKA_SASL_JAAS_CONFIG").asText());
            assertThat(env.path("TANDEM_KAFKA_BOOTSTRAP").asText()).isEqualTo("kafka:9092");
        }
        assertThat(logins).hasSize(KafkaSecurityManifestTest.SERVICES.length);
        assertThat(compose().toString()).doesNotContain("PLAINTEXT");
    }

    @Test
    void everyVariableTheComposeFileRequiresIsWrittenByGenerateEnv() throws IOException {
        String file = Files.readString(COMPOSE.resolve("docker-compose.yml"));
        String generator = Files.readString(COMPOSE.resolve("generate-env"));
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?").matcher(file);
        Set<String> required = new TreeSet<>();
        while (m.find()) {
            required.add(m.group(1));
        }
        assertThat(required).contains("KAFKA_CA_CERTIFICATE", "KAFKA_BROKER_KEYSTORE", "KAFKA_ADMIN_PASSWORD");
        for (String name : required) {
            assertThat(generator).as("generate-env writes " + name).containsPattern("(?m)^" + name + "=");
        }
    }

    /** The broker's settings as kafka.sh writes them (before the shell fills in its variables). */
    private static Map<String, String> serverProperties() throws IOException {
        String script = kafkaScript();
        int start = script.indexOf("cat > \"$work/server.properties\" <<EOF\n");
        assertThat(start).isNotNegative();
        String body = script.substring(script.indexOf('\n', start) + 1, script.indexOf("\nEOF\n", start));
        Map<String, String> out = new TreeMap<>();
        for (String line : body.split("\n")) {
            int eq = line.indexOf('=');
            assertThat(out.put(line.substring(0, eq), line.substring(eq + 1)))
                    .as("set once: " + line)
                    .isNull();
        }
        return out;
    }

    private static String kafkaScript() throws IOException {
        return Files.readString(COMPOSE.resolve("kafka.sh"));
    }

    private static JsonNode compose() {
        return Manifests.readOne(COMPOSE.resolve("docker-compose.yml"));
    }
}
