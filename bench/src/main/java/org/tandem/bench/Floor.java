package org.tandem.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import com.sun.net.httpserver.HttpServer;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import org.tandem.devstack.Endpoints;

/**
 * The physical floor of this machine for the three hops a webhook needs after the state change commits:
 * a Kafka record from producer to consumer with {@code acks=all}, a single-row PostgreSQL commit, and a bare
 * HTTP round trip on loopback. Each is measured on the same stack the benchmark uses, in microseconds. The Kafka
 * hop is measured after ten seconds of warm-up records at the same rate, with a producer tuned for latency
 * ({@code linger.ms=0}) and a consumer that fetches at once ({@code fetch.max.wait.ms=1}).
 */
public final class Floor {

    static final String TOPIC = "tandem.bench.floor";

    private final Endpoints endpoints;

    public Floor(Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    /** The three floors by name. */
    public Map<String, Histogram> measure(int samples) throws Exception {
        awaitQuietMachine();
        return Map.of("kafka", kafka(samples, 200), "postgres", postgres(samples), "http", http(samples));
    }

    /** Below this share of all cores busy, the machine counts as idle. */
    static final double QUIET = 0.15;

    /**
     * Waits, up to a minute, until the machine's cores are less than {@link #QUIET} busy over two seconds: the
     * infrastructure goes on compiling and settling for a while after it answers its first health check (Keycloak
     * most of all), and a floor measured beside that is not the machine's.
     */
    static void awaitQuietMachine() throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        double busy = 1;
        while (System.nanoTime() < deadline) {
            long[] before = cpuTicks();
            Thread.sleep(2000);
            long[] after = cpuTicks();
            busy = 1 - (after[1] - before[1]) / (double) Math.max(1, after[0] - before[0]);
            if (busy < QUIET) {
                break;
            }
        }
        System.out.printf(Locale.ROOT, "[bench] the machine is %.0f%% busy before the floor%n", 100 * busy);
    }

    /** The machine's CPU ticks since boot from {@code /proc/stat}: {all, idle and waiting for I/O}. */
    static long[] cpuTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long all = 0; // user … steal; guest time is counted in user already
        for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
            all += Long.parseLong(f[i]);
        }
        return new long[] {all, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    /** Produce-to-consume latency at {@code rate} records per second, open loop. */
    Histogram kafka(int samples, int rate) throws Exception {
        Properties common = new Properties();
        common.putAll(endpoints.kafkaAdminClient()); // address, TLS and SCRAM
        try (Admin admin = Admin.create(common)) {
            if (!admin.listTopics().names().get().contains(TOPIC)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1)))
                        .all()
                        .get();
            }
        }
        Properties p = new Properties();
        p.putAll(common);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        Properties c = new Properties();
        c.putAll(common);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "1");
        Histogram h = new Histogram(60_000_000L, 3);
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        AtomicBoolean ready = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        Thread consumerThread = Thread.ofPlatform().start(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
                consumer.assign(List.of(tp));
                consumer.seekToEnd(List.of(tp));
                consumer.position(tp);
                ready.set(true);
                int seen = 0;
                while (seen < samples && !done.get()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        if (r.value().length != Long.BYTES) {
                            continue; // a warm-up record
                        }
                        long now = System.nanoTime();
                        h.recordValue(
                                Math.max(0, (now - ByteBuffer.wrap(r.value()).getLong()) / 1000));
                        seen++;
                    }
                }
            }
        });
        while (!ready.get()) {
            Thread.sleep(10);
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            long period = 1_000_000_000L / rate;
            // Warm first, as Tandem's own producers are before their service is ready: the new producer's metadata,
            // TLS handshake and producer id, and this JVM's Kafka client code, otherwise stall the first records for
            // 100 ms and more, which at this rate is more than the 1% the p99 is made of. Ten seconds at the rate,
            // not measured (one-byte records, which the consumer passes over).
            for (int i = 0; i < 10 * rate; i++) {
                producer.send(new ProducerRecord<>(TOPIC, new byte[1]));
                LockSupport.parkNanos(period);
            }
            producer.flush();
            long start = System.nanoTime();
            for (int i = 0; i < samples; i++) {
                long intended = start + i * period;
                long wait;
                while ((wait = intended - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                producer.send(new ProducerRecord<>(
                        TOPIC, ByteBuffer.allocate(8).putLong(System.nanoTime()).array()));
            }
            producer.flush();
        }
        consumerThread.join(TimeUnit.SECONDS.toMillis(60));
        done.set(true);
        return h;
    }

    /** One INSERT committed on its own (autocommit), one after the other. */
    Histogram postgres(int samples) throws Exception {
        Histogram h = new Histogram(60_000_000L, 3);
        try (Connection con = DriverManager.getConnection(
                endpoints.jdbcUrl(), endpoints.dbUser("referral"), endpoints.dbPassword("referral"))) {
            try (Statement s = con.createStatement()) {
                // a real table, so the commit writes WAL and waits for fsync as a service's would
                s.execute("create table if not exists bench_floor (id bigserial primary key, at bigint not null)");
            }
            con.setAutoCommit(true);
            try (PreparedStatement insert = con.prepareStatement("insert into bench_floor (at) values (?)")) {
                for (int i = 0; i < samples; i++) {
                    long t0 = System.nanoTime();
                    insert.setLong(1, t0);
                    insert.executeUpdate();
                    h.recordValue((System.nanoTime() - t0) / 1000);
                }
            }
            try (Statement s = con.createStatement()) {
                s.execute("drop table bench_floor");
            }
        }
        return h;
    }

    /** A GET answered 204 by a server on loopback, over a kept-alive connection. */
    Histogram http(int samples) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        Histogram h = new Histogram(60_000_000L, 3);
        try {
            HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest req = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
                    .GET()
                    .build();
            // as many unmeasured first: the client and server code of this JVM compiled, as a warm service's is
            for (int i = 0; i < 2 * samples; i++) {
                long t0 = System.nanoTime();
                client.send(req, HttpResponse.BodyHandlers.discarding());
                if (i >= samples) {
                    h.recordValue((System.nanoTime() - t0) / 1000);
                }
            }
        } finally {
            server.stop(0);
        }
        return h;
    }
}
