package org.tandem.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import org.tandem.events.TopicRetention;
import org.tandem.events.Topics;

/** A single-node Kafka in KRaft mode (broker and controller in one JVM), from the jars Maven resolved. */
final class Kafka {

    static final String NAME = "kafka";
    static final String HEAP = "-Xms128m -Xmx512m";

    private Kafka() {}

    static Path dir(StackConfig cfg) {
        return cfg.stateDir().resolve("kafka");
    }

    static List<String> java(StackConfig cfg, String mainClass, String... args) {
        Path dir = dir(cfg);
        List<String> cmd = new ArrayList<>();
        cmd.add(Processes.javaBinary());
        cmd.addAll(List.of(HEAP.split(" ")));
        cmd.addAll(List.of(
                "-XX:+UseG1GC",
                "-XX:MaxGCPauseMillis=20",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                "-Dkafka.logs.dir=" + dir.resolve("logs"),
                "-cp",
                Artifacts.get("kafka.classpath"),
                mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static ProcessHandle launch(StackConfig cfg) throws IOException, InterruptedException {
        Path dir = dir(cfg);
        Path data = dir.resolve("data");
        KafkaSecurity security = KafkaSecurity.of(cfg.stateDir());
        Path formattedFor = dir.resolve(FORMATTED_FOR);
        if (Files.exists(data.resolve("meta.properties"))
                && !(Files.isRegularFile(formattedFor)
                        && Files.readString(formattedFor).strip().equals(security.id()))) {
            // formatted before the stack had TLS and SCRAM users, or for other credentials: nobody could log in
            Infrastructure.log("Kafka's data in " + data + " was formatted without this stack's SCRAM users;"
                    + " formatting it again (its topics and records are lost)");
            Artifacts.deleteTree(data);
        }
        Files.createDirectories(data);
        Path props = dir.resolve("server.properties");
        Files.writeString(props, serverProperties(cfg, data, security), java.nio.charset.StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(props, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("log4j2.properties"), LOG4J2);
        if (!Files.exists(data.resolve("meta.properties"))) {
            format(cfg, props, security);
            Files.writeString(formattedFor, security.id());
        }
        return Processes.launch(cfg, NAME, java(cfg, "kafka.Kafka", props.toString()), dir, Map.of());
    }

    /** Names the {@link KafkaSecurity#id()} whose admin user the storage was formatted with. */
    static final String FORMATTED_FOR = "formatted-for";

    /**
     * One SASL_SSL listener for every client (SCRAM-SHA-512; the broker logs in to itself as
     * {@value KafkaSecurity#ADMIN}), and the controller listener with mutual TLS: only a holder of a
     * certificate from this stack's CA (the broker) may connect to it. No listener speaks plaintext. ACLs
     * ({@link KafkaSecurity#ACCESS}) give each service user only its topics and groups; the admin and the broker
     * are super users.
     */
    static String serverProperties(StackConfig cfg, Path data, KafkaSecurity security) {
        int port = cfg.port(Port.KAFKA);
        int controller = cfg.port(Port.KAFKA_CONTROLLER);
        return """
                # written by tandem-devstack on every start; edit StackConfig/Kafka.java instead
                process.roles=broker,controller
                node.id=1
                controller.quorum.bootstrap.servers=localhost:%2$d
                listeners=SASL_SSL://localhost:%1$d,CONTROLLER://localhost:%2$d
                advertised.listeners=SASL_SSL://localhost:%1$d,CONTROLLER://localhost:%2$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=SASL_SSL
                listener.security.protocol.map=CONTROLLER:SSL,SASL_SSL:SASL_SSL
                sasl.enabled.mechanisms=%4$s
                sasl.mechanism.inter.broker.protocol=%4$s
                listener.name.sasl_ssl.%5$s.sasl.jaas.config=%6$s
                listener.name.controller.ssl.client.auth=required
                authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
                super.users=User:%11$s;%12$s
                ssl.keystore.type=PKCS12
                ssl.keystore.location=%7$s
                ssl.keystore.password=%8$s
                ssl.truststore.type=PKCS12
                ssl.truststore.location=%9$s
                ssl.truststore.password=%10$s
                log.dirs=%3$s
                num.partitions=1
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=10
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                log.retention.hours=168
                num.network.threads=2
                num.io.threads=4
                """.formatted(
                        port,
                        controller,
                        data,
                        KafkaSecurity.MECHANISM,
                        KafkaSecurity.MECHANISM.toLowerCase(java.util.Locale.ROOT),
                        KafkaSecurity.jaas(KafkaSecurity.ADMIN, security.password(KafkaSecurity.ADMIN)),
                        security.brokerKeystore(),
                        security.brokerKeystorePassword(),
                        security.truststore(),
                        security.truststorePassword(),
                        KafkaSecurity.ADMIN,
                        KafkaSecurity.BROKER_PRINCIPAL);
    }

    /**
     * One-time storage format; {@code --standalone} makes this node the whole controller quorum. The admin's
     * SCRAM credential goes into the storage here (SCRAM users live in KRaft's metadata, so the broker's own
     * login must exist before it starts); {@link #provision} adds the services' users.
     */
    private static void format(StackConfig cfg, Path props, KafkaSecurity security)
            throws IOException, InterruptedException {
        Path log = cfg.logFile(NAME);
        Files.createDirectories(log.getParent());
        List<String> cmd = java(
                cfg,
                "kafka.tools.StorageTool",
                "format",
                "--standalone",
                "--cluster-id",
                Uuid.randomUuid().toString(),
                "--config",
                props.toString(),
                "--ignore-formatted",
                "--add-scram",
                KafkaSecurity.MECHANISM + "=[name=" + KafkaSecurity.ADMIN + ",password="
                        + security.password(KafkaSecurity.ADMIN) + "]");
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new StackException("kafka storage format failed. See " + log + ":\n" + Processes.tail(log, 20));
        }
    }

    static Admin admin(StackConfig cfg) {
        Properties p = new Properties();
        p.putAll(KafkaSecurity.of(cfg.stateDir()).clientProperties(KafkaSecurity.ADMIN));
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + cfg.port(Port.KAFKA));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "tandem-devstack");
        return Admin.create(p);
    }

    static boolean healthy(StackConfig cfg) {
        try (Admin admin = admin(cfg)) {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()
                    && admin.describeCluster().controller().get(5, TimeUnit.SECONDS) != null;
        } catch (Exception e) {
            return false;
        }
    }

    static void awaitHealthy(StackConfig cfg, ProcessHandle process, Duration timeout) {
        Wait.until("Kafka on port " + cfg.port(Port.KAFKA), timeout, process, cfg.logFile(NAME), () -> healthy(cfg));
    }

    static List<NewTopic> topics() {
        return List.of(
                new NewTopic(Topics.ORGANISATIONS, 3, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                new NewTopic(Topics.REFERRALS, 6, (short) 1)
                        // the retention policy's default, as in deploy/kubernetes/kafka-topics.yaml (docs/retention.md)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, retentionMs(TopicRetention.REFERRALS))),
                new NewTopic(Topics.AUDIT_ANCHORS, 1, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    }

    static String retentionMs(String period) {
        return Long.toString(TopicRetention.millis(period));
    }

    /** Creates the services' SCRAM users, their ACLs and the topics that do not exist yet. */
    static void provision(StackConfig cfg) {
        try (Admin admin = admin(cfg)) {
            KafkaSecurity security = KafkaSecurity.of(cfg.stateDir());
            Set<String> users = admin.describeUserScramCredentials()
                    .all()
                    .get(10, TimeUnit.SECONDS)
                    .keySet();
            List<UserScramCredentialAlteration> newUsers = KafkaSecurity.users().stream()
                    .filter(u -> !users.contains(u))
                    .<UserScramCredentialAlteration>map(u -> new UserScramCredentialUpsertion(
                            u, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), security.password(u)))
                    .toList();
            if (!newUsers.isEmpty()) {
                admin.alterUserScramCredentials(newUsers).all().get(30, TimeUnit.SECONDS);
            }
            admin.createAcls(KafkaSecurity.acls()).all().get(30, TimeUnit.SECONDS); // an existing ACL stays as it is
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            List<NewTopic> missing =
                    topics().stream().filter(t -> !existing.contains(t.name())).collect(Collectors.toList());
            retain(
                    admin,
                    topics().stream().filter(t -> existing.contains(t.name())).toList());
            if (missing.isEmpty()) {
                return;
            }
            for (var e : admin.createTopics(missing).values().entrySet()) {
                try {
                    e.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw ex;
                    }
                }
            }
        } catch (Exception e) {
            throw new StackException("could not create Kafka topics: " + e, e);
        }
    }

    /** Sets the policy's retention on topics that a stack created before it had one (or another one). */
    private static void retain(Admin admin, List<NewTopic> existing) throws Exception {
        Map<
                        org.apache.kafka.common.config.ConfigResource,
                        java.util.Collection<org.apache.kafka.clients.admin.AlterConfigOp>>
                changes = new java.util.HashMap<>();
        for (NewTopic t : existing) {
            String ms = t.configs() == null ? null : t.configs().get(TopicConfig.RETENTION_MS_CONFIG);
            if (ms != null) {
                changes.put(
                        new org.apache.kafka.common.config.ConfigResource(
                                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, t.name()),
                        List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                                new org.apache.kafka.clients.admin.ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, ms),
                                org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)));
            }
        }
        if (!changes.isEmpty()) {
            admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
        }
    }

    static boolean stop(StackConfig cfg) {
        return Processes.stop(cfg, NAME, Duration.ofSeconds(30));
    }

    private static final String LOG4J2 = """
            # Kafka logs to stdout, which the launcher sends to <state-dir>/logs/kafka.log
            status = warn
            appender.console.type = Console
            appender.console.name = STDOUT
            appender.console.layout.type = PatternLayout
            appender.console.layout.pattern = [%d] %p %m (%c)%n
            rootLogger.level = INFO
            rootLogger.appenderRef.stdout.ref = STDOUT
            logger.kafka.name = kafka
            logger.kafka.level = INFO
            logger.state.name = state.change.logger
            logger.state.level = WARN
            logger.request.name = kafka.request.logger
            logger.request.level = WARN
            logger.raft.name = org.apache.kafka.raft
            logger.raft.level = WARN
            logger.controller.name = org.apache.kafka.controller
            logger.controller.level = WARN
            logger.clients.name = org.apache.kafka.clients
            logger.clients.level = WARN
            logger.metadata.name = org.apache.kafka.metadata
            logger.metadata.level = WARN
            logger.image.name = org.apache.kafka.image
            logger.image.level = WARN
            logger.config.name = org.apache.kafka.common.config
            logger.config.level = WARN
            """;
}
