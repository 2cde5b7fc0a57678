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
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.tandem.events.Topics;

/** A single-node Kafka in KRaft mode (broker and controller in one JVM), from the jars Maven resolved. */
final class Kafka {

    static final String NAME = "kafka";
    static final String HEAP = "-Xms128m -Xmx512m";

    private Kafka() {
    }

    static Path dir(StackConfig cfg) {
        return cfg.stateDir().resolve("kafka");
    }

    static List<String> java(StackConfig cfg, String mainClass, String... args) {
        Path dir = dir(cfg);
        List<String> cmd = new ArrayList<>();
        cmd.add(Processes.javaBinary());
        cmd.addAll(List.of(HEAP.split(" ")));
        cmd.addAll(List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                "-Dkafka.logs.dir=" + dir.resolve("logs"),
                "-cp", Artifacts.get("kafka.classpath"),
                mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static ProcessHandle launch(StackConfig cfg) throws IOException, InterruptedException {
        Path dir = dir(cfg);
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Path props = dir.resolve("server.properties");
        Files.writeString(props, serverProperties(cfg, data));
        Files.writeString(dir.resolve("log4j2.properties"), LOG4J2);
        if (!Files.exists(data.resolve("meta.properties"))) {
            format(cfg, props);
        }
        return Processes.launch(cfg, NAME, java(cfg, "kafka.Kafka", props.toString()), dir, Map.of());
    }

    static String serverProperties(StackConfig cfg, Path data) {
        int port = cfg.port(Port.KAFKA);
        int controller = cfg.port(Port.KAFKA_CONTROLLER);
        return """
                # written by tandem-devstack on every start; edit StackConfig/Kafka.java instead
                process.roles=broker,controller
                node.id=1
                controller.quorum.bootstrap.servers=localhost:%2$d
                listeners=PLAINTEXT://localhost:%1$d,CONTROLLER://localhost:%2$d
                advertised.listeners=PLAINTEXT://localhost:%1$d,CONTROLLER://localhost:%2$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
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
                """.formatted(port, controller, data);
    }

    /** One-time storage format; {@code --standalone} makes this node the whole controller quorum. */
    private static void format(StackConfig cfg, Path props) throws IOException, InterruptedException {
        Path log = cfg.logFile(NAME);
        Files.createDirectories(log.getParent());
        List<String> cmd = java(cfg, "kafka.tools.StorageTool", "format", "--standalone",
                "--cluster-id", Uuid.randomUuid().toString(), "--config", props.toString(), "--ignore-formatted");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new StackException("kafka storage format failed. See " + log + ":\n" + Processes.tail(log, 20));
        }
    }

    static Admin admin(StackConfig cfg) {
        Properties p = new Properties();
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
                new NewTopic(Topics.REFERRALS, 6, (short) 1),
                new NewTopic(Topics.AUDIT_ANCHORS, 1, (short) 1)
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    }

    /** Creates the topics that do not exist yet. */
    static void provision(StackConfig cfg) {
        try (Admin admin = admin(cfg)) {
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            List<NewTopic> missing = topics().stream().filter(t -> !existing.contains(t.name()))
                    .collect(Collectors.toList());
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
