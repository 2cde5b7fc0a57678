package org.tandem.manifests;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.tandem.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Strimzi manifests against what the services really do: each KafkaUser's ACLs are exactly the topics a
 * service consumes (its channels), the topics its outbox appends to, and its consumer groups; every topic has a
 * KafkaTopic with an explicit retention; the cluster runs the Kafka version of the build; and the clients get a
 * truststore with their TLS settings (docs/deployment.md).
 */
class KafkaSecurityManifestTest {

    static final String[] SERVICES = {"registry-service", "referral-service", "notification-service"};
    private static final Pattern APPEND = Pattern.compile("outbox\\s*\\.append\\(\\s*Topics\\.([A-Z_]+)");
    private static final String AUDIT_ANCHORS = "tandem.audit-anchors.v1";

    @Test
    void eachServiceIsAllowedExactlyWhatItReadsWritesAndTheGroupsItUses() throws Exception {
        for (String service : SERVICES) {
            Set<String> needed = new TreeSet<>();
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(
                    Schemas.ROOT.resolve(service + "/src/main/resources/application.properties"))) {
                p.load(r);
            }
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".topic")) {
                    needed.add("topic " + p.getProperty(key) + " Read");
                    needed.add("topic " + p.getProperty(key) + " Describe");
                }
                if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".group.id")) {
                    needed.add("group " + p.getProperty(key) + " Read");
                }
            }
            for (String topic : appendedTopics(Schemas.ROOT.resolve(service + "/src/main/java"))) {
                needed.add("topic " + topic + " Write");
                needed.add("topic " + topic + " Describe");
            }
            // every service anchors its audit chain on this topic (docs/security.md)
            needed.add("topic " + AUDIT_ANCHORS + " Write");
            needed.add("topic " + AUDIT_ANCHORS + " Read");
            needed.add("topic " + AUDIT_ANCHORS + " Describe");
            assertThat(acls(service)).as("ACLs of KafkaUser " + service).isEqualTo(needed);
        }
    }

    @Test
    void everyTopicHasAKafkaTopicWithAnExplicitRetention() throws IllegalAccessException {
        Set<String> topics = new TreeSet<>();
        for (Field f : Topics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                topics.add((String) f.get(null));
            }
        }
        Set<String> declared = new TreeSet<>();
        for (Manifests.Document d : Manifests.resources()) {
            if (d.tree().path("kind").asText().equals("KafkaTopic")) {
                declared.add(d.tree().at("/metadata/name").asText());
                assertThat(d.tree().at("/spec/config/retention.ms").isTextual())
                        .as(d.name() + " states retention.ms")
                        .isTrue();
            }
        }
        assertThat(topics).isNotEmpty();
        assertThat(declared).containsAll(topics);
    }

    @Test
    void theClusterRunsTheBuildsKafkaVersionWithScramOverTls() throws IOException {
        JsonNode kafka = only("Kafka");
        String pom = Files.readString(Schemas.ROOT.resolve("pom.xml"));
        Matcher m = Pattern.compile("<kafka.version>([^<]+)</kafka.version>").matcher(pom);
        assertThat(m.find()).isTrue();
        assertThat(kafka.at("/spec/kafka/version").asText()).isEqualTo(m.group(1));
        assertThat(kafka.at("/spec/kafka/authorization/type").asText()).isEqualTo("simple");
        for (JsonNode listener : kafka.at("/spec/kafka/listeners")) {
            assertThat(listener.path("tls").asBoolean())
                    .as(listener.path("name").asText() + " uses TLS")
                    .isTrue();
            assertThat(listener.at("/authentication/type").asText()).isEqualTo("scram-sha-512");
        }
    }

    @Test
    void theClientsGetATruststoreWithTheirTlsSettings() {
        JsonNode config = Manifests.resources().stream()
                .filter(d -> d.tree().at("/metadata/name").asText().equals("tandem-config"))
                .findFirst()
                .orElseThrow()
                .tree()
                .get("data");
        assertThat(config.get("KAFKA_SECURITY_PROTOCOL").asText()).isEqualTo("SASL_SSL");
        assertThat(config.get("KAFKA_SASL_MECHANISM").asText()).isEqualTo("SCRAM-SHA-512");
        String truststore = config.get("KAFKA_SSL_TRUSTSTORE_LOCATION").asText();
        for (String service : SERVICES) {
            JsonNode pod = Manifests.resources().stream()
                    .filter(d -> d.tree().path("kind").asText().equals("Deployment")
                            && d.tree().at("/metadata/name").asText().equals(service))
                    .findFirst()
                    .orElseThrow()
                    .tree()
                    .at("/spec/template/spec");
            JsonNode container = pod.at("/containers/0");
            assertThat(container.get("env").findValuesAsText("name"))
                    .as(service)
                    .contains("KAFKA_SASL_JAAS_CONFIG");
            assertThat(container.get("env").toString())
                    .as(service + " reads its own KafkaUser's Secret")
                    .contains("{\"name\":\"" + service + "\",\"key\":\"sasl.jaas.config\"}");
            String mount = container.get("volumeMounts").findValues("mountPath").stream()
                    .map(JsonNode::asText)
                    .filter(truststore::startsWith)
                    .findFirst()
                    .orElse(null);
            assertThat(mount)
                    .as(service + " mounts the cluster CA at " + truststore)
                    .isNotNull();
        }
    }

    private static Set<String> appendedTopics(Path sources) throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = APPEND.matcher(Files.readString(f));
                while (m.find()) {
                    try {
                        out.add((String) Topics.class.getField(m.group(1)).get(null));
                    } catch (ReflectiveOperationException e) {
                        throw new AssertionError("unknown topic constant Topics." + m.group(1) + " in " + f, e);
                    }
                }
            }
        }
        return out;
    }

    static Set<String> acls(String user) {
        JsonNode u = Manifests.resources().stream()
                .filter(d -> d.tree().path("kind").asText().equals("KafkaUser")
                        && d.tree().at("/metadata/name").asText().equals(user))
                .findFirst()
                .orElseThrow()
                .tree();
        assertThat(u.at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
        Set<String> out = new TreeSet<>();
        for (JsonNode acl : u.at("/spec/authorization/acls")) {
            assertThat(acl.at("/resource/patternType").asText())
                    .as("no prefixed or wildcard ACLs")
                    .isEqualTo("literal");
            for (JsonNode op : acl.get("operations")) {
                out.add(acl.at("/resource/type").asText() + " "
                        + acl.at("/resource/name").asText() + " " + op.asText());
            }
        }
        return out;
    }

    private static JsonNode only(String kind) {
        var docs = Manifests.resources().stream()
                .filter(d -> d.tree().path("kind").asText().equals(kind))
                .toList();
        assertThat(docs).hasSize(1);
        return docs.get(0).tree();
    }
}
