package org.tandem.devstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import org.tandem.events.Topics;

/**
 * The local stack's Kafka transport security: TLS with a certificate authority of this stack, and SASL
 * SCRAM-SHA-512 users (deploy/README.md, docs/security.md "Kafka transport security").
 *
 * <p>Kept in {@code <state-dir>/kafka-tls/} (owner-only), made the first time a state dir needs it:
 * <ul>
 * <li>{@code ca.p12}: the CA's key and certificate (EC P-256, made with the JDK's {@code keytool});</li>
 * <li>{@code broker.p12}: the broker's key and its certificate for {@code localhost} / {@code 127.0.0.1}, signed by
 * the CA; the broker also presents it as its client certificate on the controller listener (mutual TLS);</li>
 * <li>{@code truststore.p12} and {@code ca.crt}: the CA certificate, which every client trusts;</li>
 * <li>{@code credentials.properties}: the store passwords and the SCRAM password of each user.</li>
 * </ul>
 * Users: {@value #ADMIN} (the broker itself, the launcher, tests and tools) and one per service
 * ({@code registry-service}, {@code referral-service}, {@code notification-service}).
 */
public final class KafkaSecurity {

    /** What every client of the local broker speaks. */
    public static final String PROTOCOL = "SASL_SSL";

    public static final String MECHANISM = "SCRAM-SHA-512";
    /** The broker's own user (inter-broker), and the launcher's, the tests' and the tools'. */
    public static final String ADMIN = "tandem-admin";

    static final String DIR = "kafka-tls";
    static final String CREDENTIALS = "credentials.properties";
    static final String STORE_TYPE = "PKCS12";

    private final Path dir;
    private final Properties credentials;

    private KafkaSecurity(Path dir, Properties credentials) {
        this.dir = dir;
        this.credentials = credentials;
    }

    /** The Kafka user of a service ({@code registry} gives {@code registry-service}). */
    public static String user(String service) {
        if (!Endpoints.SERVICES.contains(service)) {
            throw new IllegalArgumentException(
                    "unknown service " + service + ", expected one of " + Endpoints.SERVICES);
        }
        return service + "-service";
    }

    /**
     * What a service may do on the broker, and nothing more: the topics it writes (its outbox) and reads, and its
     * consumer groups, whose names start with its user name (the same least privilege as the Kubernetes
     * {@code KafkaUser}s).
     */
    public record Access(List<String> writes, List<String> reads) {}

    /** The access of each service, by its short name. */
    public static final Map<String, Access> ACCESS = Map.of(
            // every service writes its signed audit-chain head to the anchors topic and reads it back to verify
            // (docs/security.md, "Audit trail"); notification also turns chain reports there into alerts
            "registry",
                    new Access(
                            List.of(Topics.ORGANISATIONS, Topics.AUDIT_ANCHORS),
                            List.of(Topics.REFERRALS, Topics.AUDIT_ANCHORS)),
            "referral",
                    new Access(
                            List.of(Topics.REFERRALS, Topics.AUDIT_ANCHORS),
                            List.of(Topics.ORGANISATIONS, Topics.AUDIT_ANCHORS)),
            "notification",
                    new Access(
                            List.of(Topics.AUDIT_ANCHORS),
                            List.of(Topics.ORGANISATIONS, Topics.REFERRALS, Topics.AUDIT_ANCHORS)));

    /** The broker's ACLs for {@link #ACCESS}; the admin and the broker itself are super users. */
    static List<AclBinding> acls() {
        List<AclBinding> out = new ArrayList<>();
        ACCESS.forEach((service, access) -> {
            String principal = "User:" + user(service);
            for (String topic : access.writes()) {
                out.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, AclOperation.WRITE));
                out.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, AclOperation.DESCRIBE));
            }
            for (String topic : access.reads()) {
                out.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, AclOperation.READ));
                out.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, AclOperation.DESCRIBE));
            }
            out.add(allow(ResourceType.GROUP, user(service), PatternType.PREFIXED, principal, AclOperation.READ));
        });
        return out;
    }

    private static AclBinding allow(
            ResourceType type, String name, PatternType pattern, String principal, AclOperation operation) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    /** The broker's client certificate's principal (on the controller listener). */
    static final String BROKER_PRINCIPAL = "User:CN=kafka-broker";

    /** Every user: the admin first, then the services'. */
    public static List<String> users() {
        List<String> out = new ArrayList<>();
        out.add(ADMIN);
        Endpoints.SERVICES.forEach(s -> out.add(user(s)));
        return out;
    }

    /** The stack's security material in {@code stateDir}; made on first use (a few seconds of keytool). */
    public static synchronized KafkaSecurity of(Path stateDir) {
        Path dir = stateDir.toAbsolutePath().resolve(DIR);
        Path file = dir.resolve(CREDENTIALS);
        try {
            if (!Files.isRegularFile(file)) {
                create(dir);
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            KafkaSecurity s = new KafkaSecurity(dir, p);
            for (String u : users()) {
                if (p.getProperty("user." + u) == null) {
                    throw new StackException(file + " lacks the password of " + u + "; delete " + dir
                            + " to make new ones (Kafka's data is then formatted again)");
                }
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    /** Identifies this material; Kafka's storage remembers the one it was formatted with. */
    public String id() {
        return credentials.getProperty("id");
    }

    public Path caCertificate() {
        return dir.resolve("ca.crt");
    }

    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    public String truststorePassword() {
        return credentials.getProperty("truststore-password");
    }

    Path brokerKeystore() {
        return dir.resolve("broker.p12");
    }

    String brokerKeystorePassword() {
        return credentials.getProperty("broker-keystore-password");
    }

    /** The SCRAM password of a user of {@link #users()}. */
    public String password(String user) {
        String p = credentials.getProperty("user." + user);
        if (p == null) {
            throw new IllegalArgumentException("no Kafka user " + user + "; users: " + users());
        }
        return p;
    }

    /** The JAAS line that logs {@code user} in with {@code password}. */
    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    /**
     * The security settings of a Kafka client that logs in as {@code user} (without {@code bootstrap.servers}):
     * the names of the Kafka client configuration.
     */
    public Map<String, String> clientProperties(String user) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("security.protocol", PROTOCOL);
        p.put("sasl.mechanism", MECHANISM);
        p.put("sasl.jaas.config", jaas(user, password(user)));
        p.put("ssl.truststore.type", STORE_TYPE);
        p.put("ssl.truststore.location", truststore().toString());
        p.put("ssl.truststore.password", truststorePassword());
        return p;
    }

    /**
     * The same settings as environment variables of a Quarkus service ({@code KAFKA_SASL_JAAS_CONFIG} is
     * {@code kafka.sasl.jaas.config}, which Quarkus gives every Kafka client of the service).
     */
    public Map<String, String> environment(String user) {
        Map<String, String> env = new LinkedHashMap<>();
        clientProperties(user)
                .forEach((k, v) ->
                        env.put("KAFKA_" + k.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), v));
        return env;
    }

    private static void create(Path dir) throws IOException {
        Artifacts.deleteTree(dir);
        Files.createDirectories(dir.getParent());
        Path tmp = Files.createTempDirectory(
                dir.getParent(),
                DIR + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            SecureRandom random = new SecureRandom();
            Properties p = new Properties();
            p.setProperty("id", secret(random, 8));
            String caPassword = secret(random, 16);
            p.setProperty("ca-password", caPassword);
            p.setProperty("broker-keystore-password", secret(random, 16));
            p.setProperty("truststore-password", secret(random, 16));
            for (String u : users()) {
                p.setProperty("user." + u, secret(random, 24));
            }
            Path ca = tmp.resolve("ca.p12");
            String validity = "3650";
            keytool(
                    tmp,
                    "-genkeypair",
                    "-keystore",
                    ca.toString(),
                    "-storetype",
                    STORE_TYPE,
                    "-storepass",
                    caPassword,
                    "-alias",
                    "ca",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=Tandem local stack CA",
                    "-ext",
                    "bc:c",
                    "-validity",
                    validity);
            keytool(
                    tmp,
                    "-genkeypair",
                    "-keystore",
                    ca.toString(),
                    "-storepass",
                    caPassword,
                    "-alias",
                    "broker",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=kafka-broker",
                    "-ext",
                    "san=dns:localhost,ip:127.0.0.1",
                    "-validity",
                    validity,
                    "-signer",
                    "ca");
            keytool(
                    tmp,
                    "-importkeystore",
                    "-noprompt",
                    "-srckeystore",
                    ca.toString(),
                    "-srcstorepass",
                    caPassword,
                    "-srcalias",
                    "broker",
                    "-destkeystore",
                    tmp.resolve("broker.p12").toString(),
                    "-deststoretype",
                    STORE_TYPE,
                    "-deststorepass",
                    p.getProperty("broker-keystore-password"));
            keytool(tmp, "-delete", "-keystore", ca.toString(), "-storepass", caPassword, "-alias", "broker");
            keytool(
                    tmp,
                    "-exportcert",
                    "-rfc",
                    "-keystore",
                    ca.toString(),
                    "-storepass",
                    caPassword,
                    "-alias",
                    "ca",
                    "-file",
                    tmp.resolve("ca.crt").toString());
            keytool(
                    tmp,
                    "-importcert",
                    "-noprompt",
                    "-keystore",
                    tmp.resolve("truststore.p12").toString(),
                    "-storetype",
                    STORE_TYPE,
                    "-storepass",
                    p.getProperty("truststore-password"),
                    "-alias",
                    "ca",
                    "-file",
                    tmp.resolve("ca.crt").toString());
            try (Writer w = Files.newBufferedWriter(tmp.resolve(CREDENTIALS), StandardCharsets.UTF_8)) {
                p.store(w, "Kafka TLS and SCRAM secrets of this local stack (written once by tandem-devstack)");
            }
            for (String u : users()) {
                writeClientProperties(tmp, u, p);
            }
            Files.move(tmp, dir); // whole, or not at all
        } finally {
            Artifacts.deleteTree(tmp);
        }
    }

    /** {@code client-<user>.properties}, for Kafka's command-line tools ({@code --command-config}). */
    private static void writeClientProperties(Path dir, String user, Properties p) throws IOException {
        Properties c = new Properties();
        c.setProperty("security.protocol", PROTOCOL);
        c.setProperty("sasl.mechanism", MECHANISM);
        c.setProperty("sasl.jaas.config", jaas(user, p.getProperty("user." + user)));
        c.setProperty("ssl.truststore.type", STORE_TYPE);
        c.setProperty(
                "ssl.truststore.location",
                dir.getParent().resolve(DIR).resolve("truststore.p12").toString());
        c.setProperty("ssl.truststore.password", p.getProperty("truststore-password"));
        try (Writer w =
                Files.newBufferedWriter(dir.resolve("client-" + user + ".properties"), StandardCharsets.UTF_8)) {
            c.store(w, "Kafka client settings of " + user + " on this local stack");
        }
    }

    private static String secret(SecureRandom random, int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void keytool(Path dir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.add("-J-XX:TieredStopAtLevel=1");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new StackException("keytool " + args[0] + " failed: " + out);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while making the Kafka certificates", e);
        }
    }
}
