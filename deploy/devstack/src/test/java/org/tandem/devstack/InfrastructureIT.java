package org.tandem.devstack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.tandem.events.EventCatalog;
import org.tandem.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Starts the real infrastructure into its own state dir and port base, uses each part for real, stops it,
 * and checks that no process is left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InfrastructureIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static StackConfig cfg;
    static Infrastructure infra;
    static Endpoints e;

    @BeforeAll
    static void start() {
        // Below Linux's ephemeral range (32768-60999): a port in it can be taken by the local end of any
        // outgoing loopback connection between our check that it is free and the server's bind.
        int base = StackConfig.intEnv(System.getenv(), "TANDEM_DEVSTACK_IT_PORT_BASE", 23000);
        cfg = StackConfig.builder()
                .stateDir(Path.of("target", "devstack-it"))
                .portBase(base)
                .fresh(true)
                .build();
        long t0 = System.nanoTime();
        infra = Infrastructure.start(cfg);
        System.out.println("infrastructure started in " + Infrastructure.secondsSince(t0));
        e = infra.endpoints();
    }

    @AfterAll
    static void stopIfLeft() {
        if (infra != null) {
            infra.stop();
        }
    }

    @Test
    @Order(1)
    void everyPartIsHealthyAndTheEndpointsFileIsWritten() {
        List<Infrastructure.Status> status = Infrastructure.status(cfg);
        assertThat(status)
                .extracting(Infrastructure.Status::name)
                .contains("postgres", "kafka", "apicurio", "keycloak");
        assertThat(status).allSatisfy(s -> {
            assertThat(s.running()).as(s.name() + " running").isTrue();
            assertThat(s.healthy()).as(s.name() + " healthy").isTrue();
        });
        assertThat(Endpoints.readFrom(cfg.endpointsFile())).isEqualTo(e);
    }

    @Test
    @Order(2)
    void startingAgainReusesTheRunningStack() {
        long t0 = System.nanoTime();
        Infrastructure again = Infrastructure.start(cfg);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        assertThat(again.endpoints()).isEqualTo(e);
    }

    @Test
    @Order(3)
    void kafkaHasTheTopicsAndCarriesARecord() throws Exception {
        try (Admin admin = Kafka.admin(cfg)) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(Topics.ORGANISATIONS, Topics.REFERRALS))
                    .allTopicNames()
                    .get();
            assertThat(topics.get(Topics.ORGANISATIONS).partitions()).hasSize(3);
            assertThat(topics.get(Topics.REFERRALS).partitions()).hasSize(6);
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ORGANISATIONS);
            assertThat(admin.describeConfigs(List.of(res))
                            .all()
                            .get()
                            .get(res)
                            .get("cleanup.policy")
                            .value())
                    .isEqualTo("compact");
        }
        String key = UUID.randomUUID().toString();
        Map<String, Object> producerConfig = e.kafkaAdminClient();
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            producer.send(new ProducerRecord<>(Topics.REFERRALS, key, "hello")).get();
        }
        Map<String, Object> consumerConfig = e.kafkaClient(KafkaSecurity.user("notification"));
        consumerConfig.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                KafkaSecurity.user("notification") + ".it-" + key, // its groups only
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName()));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.subscribe(List.of(Topics.REFERRALS));
            Optional<ConsumerRecord<String, String>> found = Optional.empty();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        found = Optional.of(r);
                    }
                }
            }
            assertThat(found).as("the record we produced").isPresent();
            assertThat(found.get().value()).isEqualTo("hello");
        }
    }

    /**
     * The broker speaks TLS with SCRAM-SHA-512 only: each service's own user gets in; a client without
     * credentials, with a wrong password, in plaintext, or that does not trust the stack's CA is refused, and
     * the controller listener takes only a client certificate from the stack's CA (docs/security.md, "Kafka
     * transport security").
     */
    @Test
    @Order(3)
    void kafkaAdmitsOnlyTlsClientsWithTheirScramCredentials() throws Exception {
        for (String service : Endpoints.SERVICES) {
            assertThat(nodes(e.kafkaClient(KafkaSecurity.user(service))))
                    .as(service)
                    .isNotEmpty();
        }

        Map<String, Object> wrongPassword = e.kafkaClient(KafkaSecurity.user("referral"));
        wrongPassword.put("sasl.jaas.config", KafkaSecurity.jaas(KafkaSecurity.user("referral"), "not-its-password"));
        assertThat(refusal(wrongPassword)).isInstanceOf(SaslAuthenticationException.class);

        Map<String, Object> unknownUser = e.kafkaAdminClient();
        unknownUser.put("sasl.jaas.config", KafkaSecurity.jaas("nobody", "whatever"));
        assertThat(refusal(unknownUser)).isInstanceOf(SaslAuthenticationException.class);

        Map<String, Object> untrusting = e.kafkaAdminClient(); // right password, but the JDK's own trust store
        untrusting.keySet().removeIf(k -> k.startsWith("ssl.truststore"));
        assertThat(refusal(untrusting)).isInstanceOf(SslAuthenticationException.class);

        // no credentials at all: TLS without SASL, and plaintext; both get nowhere
        Map<String, Object> noCredentials = e.kafkaAdminClient();
        noCredentials.keySet().removeIf(k -> k.startsWith("sasl."));
        noCredentials.put("security.protocol", "SSL");
        assertThat(refusal(noCredentials)).isNotNull();
        assertThat(refusal(Map.of("bootstrap.servers", e.kafkaBootstrap(), "security.protocol", "PLAINTEXT")))
                .isNotNull();
        assertThat(refusal(Map.of(
                        "bootstrap.servers",
                        e.kafkaBootstrap(),
                        "security.protocol",
                        "SASL_PLAINTEXT",
                        "sasl.mechanism",
                        KafkaSecurity.MECHANISM,
                        "sasl.jaas.config",
                        wrongPassword.get("sasl.jaas.config"))))
                .isNotNull();

        // the controller listener: mutual TLS; a client with the CA but without a certificate of its own is refused
        Map<String, Object> controller = e.kafkaAdminClient();
        controller.remove("bootstrap.servers");
        controller.keySet().removeIf(k -> k.startsWith("sasl."));
        controller.put("security.protocol", "SSL");
        controller.put("bootstrap.controllers", "localhost:" + cfg.port(Port.KAFKA_CONTROLLER));
        assertThat(refusal(controller)).isInstanceOf(SslAuthenticationException.class);
    }

    /**
     * Least privilege on the local broker too: a service writes only the topic of its outbox, reads only the
     * topics it consumes, and only in consumer groups named after it.
     */
    @Test
    @Order(3)
    void eachServiceUserMayOnlyWhatItNeeds() throws Exception {
        assertThat(send("referral", Topics.REFERRALS))
                .as("referral-service writes referrals")
                .isNull();
        assertThat(send("registry", Topics.ORGANISATIONS))
                .as("registry-service writes organisations")
                .isNull();
        assertThat(send("referral", Topics.ORGANISATIONS)).isInstanceOf(TopicAuthorizationException.class);
        // notification-service writes no topic at all, so even its idempotent producer's id may be what is refused
        assertThat(send("notification", Topics.REFERRALS))
                .isInstanceOfAny(TopicAuthorizationException.class, ClusterAuthorizationException.class);
        assertThat(send("notification", Topics.ORGANISATIONS))
                .isInstanceOfAny(TopicAuthorizationException.class, ClusterAuthorizationException.class);

        assertThat(read("registry", Topics.REFERRALS, "registry-service.it"))
                .as("in its own group")
                .isNull();
        assertThat(read("registry", Topics.REFERRALS, "referral-service.organisations"))
                .as("in another service's group")
                .isInstanceOf(GroupAuthorizationException.class);
        assertThat(read("registry", Topics.ORGANISATIONS, "registry-service.it"))
                .as("a topic it does not consume")
                .isInstanceOf(TopicAuthorizationException.class);
        try (Admin admin = Admin.create(e.kafkaClient(KafkaSecurity.user("referral")))) {
            assertThat(refusal(() -> admin.createTopics(List.of(new NewTopic("tandem.rogue", 1, (short) 1)))
                            .all()
                            .get(20, TimeUnit.SECONDS)))
                    .isInstanceOf(TopicAuthorizationException.class);
            assertThat(refusal(() ->
                            admin.deleteTopics(List.of(Topics.REFERRALS)).all().get(20, TimeUnit.SECONDS)))
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    /** The failure of one send as {@code service}, or null when it went through. */
    static Throwable send(String service, String topic) {
        Map<String, Object> c = e.kafkaClient(KafkaSecurity.user(service));
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(c)) {
            producer.send(new ProducerRecord<>(topic, "acl-check", "acl-check")).get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException ex) {
            return ex.getCause();
        } catch (Exception ex) {
            return ex;
        }
    }

    /** The failure of one poll as {@code service} in {@code group}, or null when it was allowed. */
    static Throwable read(String service, String topic, String group) {
        Map<String, Object> c = e.kafkaClient(KafkaSecurity.user(service));
        c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500));
            }
            if (consumer.assignment().isEmpty()) {
                return new AssertionError("no partitions assigned");
            }
            // Joining the group and being assigned partitions needs only the group's READ and the topic's
            // DESCRIBE; the topic's READ is checked by the fetches, which the polls after the assignment send
            consumer.seekToBeginning(consumer.assignment());
            long fetching = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < fetching) {
                consumer.poll(Duration.ofMillis(500));
            }
            return null;
        } catch (Exception ex) {
            return ex;
        }
    }

    interface Call {
        void run() throws Exception;
    }

    static Throwable refusal(Call call) {
        try {
            call.run();
            throw new AssertionError("allowed");
        } catch (ExecutionException ex) {
            return ex.getCause();
        } catch (Exception ex) {
            return ex;
        }
    }

    static java.util.Collection<org.apache.kafka.common.Node> nodes(Map<String, Object> config) throws Exception {
        Map<String, Object> c = new java.util.HashMap<>(config);
        c.put("request.timeout.ms", 5000);
        c.put("default.api.timeout.ms", 8000);
        try (Admin admin = Admin.create(c)) {
            return admin.describeCluster().nodes().get(20, TimeUnit.SECONDS);
        }
    }

    /** What a client with {@code config} meets; fails the test if it gets in. */
    static Throwable refusal(Map<String, Object> config) {
        try {
            Collection<org.apache.kafka.common.Node> nodes = nodes(config);
            throw new AssertionError("the broker let a client in with " + config.keySet() + ": " + nodes);
        } catch (ExecutionException ex) {
            return ex.getCause();
        } catch (AssertionError ex) {
            throw ex;
        } catch (Exception ex) {
            return ex; // a timeout: the broker never answered it
        }
    }

    @Test
    @Order(4)
    void everyEventSchemaIsRegisteredUnderNamespaceAndName() throws Exception {
        for (EventCatalog.Entry entry : EventCatalog.all()) {
            String content = Apicurio.latestContent(
                    e.schemaRegistryUrl(),
                    entry.schema().getNamespace(),
                    entry.schema().getName());
            assertThat(content).as(entry.fullName()).isNotNull();
            assertThat(new Schema.Parser().parse(content)).isEqualTo(entry.schema());
        }
        JsonNode rules = JSON.readTree(get(e.schemaRegistryUrl() + "/admin/rules"));
        assertThat(rules.toString()).contains("VALIDITY", "COMPATIBILITY");
        assertThat(JSON.readTree(get(e.schemaRegistryUrl() + "/admin/rules/COMPATIBILITY"))
                        .path("config")
                        .asText())
                .isEqualTo("BACKWARD");
        // registering the same content again adds no version
        EventCatalog.Entry first = EventCatalog.all().get(0);
        Apicurio.register(
                e.schemaRegistryUrl(),
                first.schema().getNamespace(),
                first.schema().getName(),
                first.schema().toString());
        JsonNode versions = JSON.readTree(get(e.schemaRegistryUrl() + "/groups/"
                + first.schema().getNamespace() + "/artifacts/" + first.schema().getName() + "/versions"));
        assertThat(versions.path("count").asInt()).isEqualTo(1);
    }

    @Test
    @Order(5)
    void keycloakIssuesTokensWithOrganisationRolesAndAudience() throws Exception {
        DemoData demo = new DemoData(e);
        JsonNode caseworker = claims(demo.passwordToken("caseworker.solwodi", DemoData.PASSWORD));
        assertThat(caseworker.path("iss").asText()).isEqualTo(e.oidcIssuer());
        assertThat(caseworker.path("org").isTextual()).isTrue();
        assertThat(caseworker.path("org").asText()).isEqualTo("5f0a1c2e-0002-4c00-8000-000000000002");
        assertThat(caseworker.path("realm_access").path("roles").toString()).contains("\"caseworker\"");
        assertThat(caseworker.path("aud").toString()).contains("tandem-api");
        assertThat(caseworker.path("exp").asLong() - caseworker.path("iat").asLong())
                .isEqualTo(900);

        JsonNode integration = claims(demo.clientToken("integration-solwodi", "solwodi-integration-secret"));
        assertThat(integration.path("org").asText()).isEqualTo("5f0a1c2e-0002-4c00-8000-000000000002");
        assertThat(integration.path("realm_access").path("roles").toString()).contains("\"integration\"");
        assertThat(integration.path("aud").toString()).contains("tandem-api");

        JsonNode coordinator = claims(demo.passwordToken("coordinator", DemoData.PASSWORD));
        assertThat(coordinator.has("org")).isFalse();
        assertThat(coordinator.path("realm_access").path("roles").toString()).contains("\"coordinator\"");

        assertThatThrownBy(() -> demo.passwordToken("caseworker.solwodi", "wrong"))
                .hasMessageContaining("invalid_grant");
    }

    @Test
    @Order(6)
    void eachServiceRoleReachesOnlyItsOwnSchema() throws Exception {
        try (Connection registry =
                        DriverManager.getConnection(e.jdbcUrl(), e.dbUser("registry"), e.dbPassword("registry"));
                Statement s = registry.createStatement()) {
            s.execute("create table if not exists probe (id int)"); // lands in schema registry (search_path)
            s.execute("insert into registry.probe values (1)");
        }
        try (Connection referral =
                        DriverManager.getConnection(e.jdbcUrl(), e.dbUser("referral"), e.dbPassword("referral"));
                Statement s = referral.createStatement()) {
            s.execute("create table if not exists probe (id int)");
            s.execute("insert into referral.probe values (2)");
            assertThatThrownBy(() -> s.executeQuery("select * from registry.probe"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied for schema registry");
            assertThatThrownBy(() -> s.execute("create table public.sneaky (id int)"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(
                                e.apicurioJdbcUrl(), e.dbUser("referral"), e.dbPassword("referral"))
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied for database");
        assertThatThrownBy(() -> DriverManager.getConnection(e.jdbcUrl(), e.dbUser("referral"), "wrong")
                        .close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    @Order(7)
    void stopLeavesNoProcessBehind() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Infrastructure.Part p : Infrastructure.Part.values()) {
            ProcessHandle h = Processes.running(cfg, p.processName()).orElseThrow();
            all.add(h);
            h.descendants().forEach(all::add);
        }
        long t0 = System.nanoTime();
        infra.stop();
        System.out.println("infrastructure stopped in " + Infrastructure.secondsSince(t0));
        infra = null;
        assertThat(all).noneMatch(Processes::isAlive);
        assertThat(Infrastructure.status(cfg)).noneMatch(Infrastructure.Status::running);
        assertThat(cfg.pidDir().toFile().list()).isEmpty();
    }

    static String get(String url) throws Exception {
        HttpResponse<String> r =
                HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    static JsonNode claims(String jwt) throws Exception {
        String[] parts = jwt.split("\\.");
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }
}
