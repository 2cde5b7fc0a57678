package org.tandem.bench.faults;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import org.tandem.bench.Network;
import org.tandem.bench.Receiver;
import org.tandem.bench.TandemApi;
import org.tandem.bench.Windows;
import org.tandem.bench.faults.History.Delivered;
import org.tandem.bench.faults.History.Operation;
import org.tandem.bench.faults.History.Outcome;
import org.tandem.bench.faults.History.Published;
import org.tandem.devstack.Endpoints;
import org.tandem.devstack.Infrastructure;
import org.tandem.devstack.Services;
import org.tandem.devstack.StackConfig;
import org.tandem.events.Topics;

/**
 * Runs referral load while faults strike, and records the {@link History} that the {@link Checker} judges.
 *
 * <p>Each referral is a flow of four requests (create, submit, acknowledge, accept), started open loop at a
 * fixed rate. A request that gets no answer, a 5xx, a 408 or a 429 is retried with the same
 * Idempotency-Key for up to 90 seconds, as a partner's integration would; then its outcome is UNKNOWN.
 */
public final class FaultRun {

    /** Something that goes wrong, and its repair. */
    public interface Fault {
        String name();

        void strike(Controls c) throws Exception;
    }

    public record Scheduled(Duration at, Fault fault) {}

    public record Scenario(
            String name, Duration load, int referralsPerSecond, List<Scheduled> faults, Duration settle) {}

    /**
     * What faults act on: the services' processes ({@code cfg}), the infrastructure's ({@code infraCfg}: the same
     * stack for {@code ./tandem faults}, the test infrastructure in a test) and the partner's endpoint.
     */
    public record Controls(
            StackConfig cfg,
            StackConfig infraCfg,
            Endpoints endpoints,
            Path repo,
            Map<String, String> serviceEnv,
            Receiver receiver) {

        Services.Service service(String module) {
            return Services.ALL.stream()
                    .filter(s -> s.module().equals(module))
                    .findFirst()
                    .orElseThrow();
        }

        /** kill -9, a pause, and a restart (with several instances: of the first one). */
        public void killService(String module, Duration downFor) throws Exception {
            killInstance(module, Services.instances(cfg, service(module)).getFirst(), downFor);
        }

        /**
         * kill -9 of one instance of a service ({@code number} from 1; the others go on serving behind the
         * round-robin), a pause, and its restart.
         */
        public void killInstance(String module, int number, Duration downFor) throws Exception {
            killInstance(module, new Services.Instance(service(module), number), downFor);
        }

        /**
         * kill -9 of several instances, {@code apart} from each other, then their restarts side by side (one
         * JVM start after the other would leave the machine's cores idle between them).
         */
        public void killInstances(Duration apart, List<Target> targets) throws Exception {
            List<Services.Instance> killed = new ArrayList<>();
            for (Target t : targets) {
                if (!killed.isEmpty()) {
                    Thread.sleep(apart.toMillis());
                }
                Services.Instance i = new Services.Instance(service(t.module()), t.instance());
                kill9(Services.pid(cfg, i).orElseThrow(() -> new IllegalStateException(i + " is not running")));
                killed.add(i);
            }
            try (ExecutorService starts = Executors.newVirtualThreadPerTaskExecutor()) {
                List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                for (Services.Instance i : killed) {
                    done.add(starts.submit(() -> {
                        Services.startOne(cfg, endpoints, repo, i, serviceEnv);
                        return null;
                    }));
                }
                for (var f : done) {
                    f.get(); // a failed restart fails the fault
                }
            }
        }

        private void killInstance(String module, Services.Instance i, Duration downFor) throws Exception {
            long pid = Services.pid(cfg, i).orElseThrow(() -> new IllegalStateException(i + " is not running"));
            kill9(pid);
            Thread.sleep(downFor.toMillis());
            Services.startOne(cfg, endpoints, repo, i, serviceEnv);
        }

        /** SIGSTOP, then SIGCONT: the process is there but answers nothing (with several instances: the first). */
        public void pauseService(String module, Duration pausedFor) throws Exception {
            Services.Instance i = Services.instances(cfg, service(module)).getFirst();
            long pid = Services.pid(cfg, i).orElseThrow();
            signal("STOP", pid);
            try {
                Thread.sleep(pausedFor.toMillis());
            } finally {
                signal("CONT", pid);
            }
        }

        /** A clean stop and start of an infrastructure part (a broker or database restart). */
        public void restart(Infrastructure.Part part) {
            Infrastructure.stopPart(infraCfg, part);
            Infrastructure.start(infraCfg.toBuilder().fresh(false).build());
        }

        /** kill -9 of an infrastructure part, and its start. */
        public void crash(Infrastructure.Part part) throws Exception {
            kill9(Infrastructure.pid(infraCfg, part).orElseThrow());
            Infrastructure.start(infraCfg.toBuilder().fresh(false).build());
        }

        public void endpointDown(Duration downFor) throws Exception {
            receiver.down();
            try {
                Thread.sleep(downFor.toMillis());
            } finally {
                receiver.up();
            }
        }

        static void kill9(long pid) throws InterruptedException {
            ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
            h.destroyForcibly(); // SIGKILL on Linux
            h.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        }

        static void signal(String signal, long pid) throws IOException, InterruptedException {
            int rc = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .inheritIO()
                    .start()
                    .waitFor();
            if (rc != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        }
    }

    public static Fault fault(String name, ThrowingConsumer action) {
        return new Fault() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void strike(Controls c) throws Exception {
                action.accept(c);
            }
        };
    }

    @FunctionalInterface
    public interface ThrowingConsumer {
        void accept(Controls c) throws Exception;
    }

    /** The run in ./tandem test: five faults in about a minute of load. */
    public static Scenario shortScenario() {
        return new Scenario(
                "short",
                Duration.ofSeconds(45),
                2,
                List.of(
                        new Scheduled(
                                Duration.ofSeconds(6),
                                fault(
                                        "kill -9 notification-service",
                                        c -> c.killService("notification-service", Duration.ofSeconds(2)))),
                        new Scheduled(
                                Duration.ofSeconds(16),
                                fault("webhook endpoint down for 3 s", c -> c.endpointDown(Duration.ofSeconds(3)))),
                        new Scheduled(
                                Duration.ofSeconds(24),
                                fault(
                                        "SIGSTOP referral-service for 4 s",
                                        c -> c.pauseService("referral-service", Duration.ofSeconds(4)))),
                        new Scheduled(
                                Duration.ofSeconds(32),
                                fault(
                                        "kill -9 referral-service and its outbox relay",
                                        c -> c.killService("referral-service", Duration.ofSeconds(1)))),
                        new Scheduled(
                                Duration.ofSeconds(38),
                                fault("PostgreSQL restart", c -> c.restart(Infrastructure.Part.POSTGRES)))),
                Duration.ofSeconds(150));
    }

    /**
     * The run with two instances of each service (a stack started with {@code instances(2)}): one instance of
     * each service is killed with SIGKILL under load and restarted, while the other goes on behind the
     * round-robin. Short enough for ./tandem test (about two minutes once the stack is up).
     */
    public static Scenario twoInstanceScenario() {
        return new Scenario(
                "two-instances",
                Duration.ofSeconds(40),
                2,
                List.of(new Scheduled(
                        Duration.ofSeconds(8),
                        fault(
                                "kill -9 referral-service-1 (with its outbox relay), 3 s later notification-service-2,"
                                        + " 3 s later registry-service-1; restart all three",
                                c -> c.killInstances(
                                        Duration.ofSeconds(3),
                                        List.of(
                                                new Target("referral-service", 1),
                                                new Target("notification-service", 2),
                                                new Target("registry-service", 1)))))),
                Duration.ofSeconds(150));
    }

    /** One instance of a service, as a fault's target. */
    public record Target(String module, int instance) {}

    /** Every fault the issue names, over several minutes of load; about 20 minutes in all. */
    public static Scenario longScenario() {
        return new Scenario(
                "long",
                Duration.ofMinutes(7),
                3,
                List.of(
                        new Scheduled(
                                Duration.ofSeconds(20),
                                fault(
                                        "kill -9 notification-service",
                                        c -> c.killService("notification-service", Duration.ofSeconds(5)))),
                        new Scheduled(
                                Duration.ofSeconds(60),
                                fault(
                                        "kill -9 referral-service and its outbox relay",
                                        c -> c.killService("referral-service", Duration.ofSeconds(5)))),
                        new Scheduled(
                                Duration.ofSeconds(100),
                                fault(
                                        "kill -9 registry-service",
                                        c -> c.killService("registry-service", Duration.ofSeconds(5)))),
                        new Scheduled(
                                Duration.ofSeconds(140),
                                fault("Kafka broker restart", c -> c.restart(Infrastructure.Part.KAFKA))),
                        new Scheduled(
                                Duration.ofSeconds(190),
                                fault("PostgreSQL restart", c -> c.restart(Infrastructure.Part.POSTGRES))),
                        new Scheduled(
                                Duration.ofSeconds(240),
                                fault("webhook endpoint down for 60 s", c -> c.endpointDown(Duration.ofSeconds(60)))),
                        new Scheduled(
                                Duration.ofSeconds(320),
                                fault(
                                        "SIGSTOP notification-service for 20 s",
                                        c -> c.pauseService("notification-service", Duration.ofSeconds(20)))),
                        new Scheduled(
                                Duration.ofSeconds(360),
                                fault("kill -9 Kafka broker", c -> c.crash(Infrastructure.Part.KAFKA))),
                        new Scheduled(
                                Duration.ofSeconds(390),
                                fault(
                                        "SIGSTOP referral-service for 10 s",
                                        c -> c.pauseService("referral-service", Duration.ofSeconds(10))))),
                // a delivery that failed twice waits 5 minutes for its third attempt (the spec's schedule)
                Duration.ofMinutes(9));
    }

    /** What happened, for the log and the report. */
    public record RunResult(
            History history,
            List<Checker.Violation> violations,
            List<String> faultLog,
            int flows,
            int createsWithoutId,
            List<InstanceWork.Work> instanceWork,
            List<Recovery> recoveries) {

        public RunResult(
                History history,
                List<Checker.Violation> violations,
                List<String> faultLog,
                int flows,
                int createsWithoutId) {
            this(history, violations, faultLog, flows, createsWithoutId, List.of(), List.of());
        }
    }

    /** A fault as it struck: its name and when ({@link System#nanoTime()}). */
    public record Strike(String fault, long atNanos) {}

    /**
     * How long after a fault struck the load was served at speed again: the end of the first 10-s window (sliding
     * on by a second from the strike) whose p99, a transition's first attempt to its signed webhook, was under
     * 100 ms; {@code seconds} is -1 when no window before the load ended was.
     */
    public record Recovery(String fault, double atSeconds, double seconds, long bestP99Micros) {}

    static final long RECOVERY_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    static final long RECOVERY_LIMIT_MICROS = 100_000;
    static final int RECOVERY_MIN_SAMPLES = 10;

    /** The {@link Recovery} after each strike, from the history's transitions and their webhooks. */
    public static List<Recovery> recoveries(History history, List<Strike> strikes, long t0) {
        Map<String, Long> arrivals = new java.util.HashMap<>();
        for (Delivered d : history.delivered()) {
            arrivals.merge(d.referralId() + "|" + d.type(), d.position(), Math::min);
        }
        List<Windows.Sample> samples = new ArrayList<>();
        long last = 0;
        for (Operation o : history.operations()) {
            String event = History.EVENT_OF_STEP.get(o.step());
            if (event == null || o.outcome() != Outcome.OK || o.sentNanos() == 0) {
                continue;
            }
            Long arrived = arrivals.get(o.referralId() + "|" + History.WEBHOOK_OF_EVENT.get(event));
            if (arrived != null) {
                samples.add(new Windows.Sample(o.sentNanos(), Math.max(0, (arrived - o.sentNanos()) / 1000)));
                last = Math.max(last, o.sentNanos());
            }
        }
        List<Recovery> out = new ArrayList<>();
        for (Strike s : strikes) {
            out.add(new Recovery(
                    s.fault(),
                    (s.atNanos() - t0) / 1e9,
                    Windows.recoverySeconds(
                            samples,
                            s.atNanos(),
                            RECOVERY_WINDOW_NANOS,
                            TimeUnit.SECONDS.toNanos(1),
                            RECOVERY_LIMIT_MICROS,
                            RECOVERY_MIN_SAMPLES,
                            last + 1),
                    Windows.bestP99(
                            samples,
                            s.atNanos(),
                            RECOVERY_WINDOW_NANOS,
                            TimeUnit.SECONDS.toNanos(1),
                            RECOVERY_MIN_SAMPLES,
                            last + 1)));
        }
        return out;
    }

    private final TandemApi api;
    private final Network network;
    private final Receiver receiver;
    private final Controls controls;

    public FaultRun(TandemApi api, Network network, Receiver receiver, Controls controls) {
        this.api = api;
        this.network = network;
        this.receiver = receiver;
        this.controls = controls;
    }

    public RunResult run(Scenario scenario) throws Exception {
        History.Recorder recorder = new History.Recorder();
        ConcurrentLinkedQueue<Published> published = new ConcurrentLinkedQueue<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread topicReader = Thread.ofPlatform().name("fault-topic-reader").start(() -> readTopic(published, reading));
        List<String> faultLog = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Strike> strikes = java.util.Collections.synchronizedList(new ArrayList<>());
        InstanceWork work = InstanceWork.start(controls.cfg()); // what each instance did, for the report
        AtomicInteger createsWithoutId = new AtomicInteger();
        long t0 = System.nanoTime();
        AtomicBoolean faultsOver = new AtomicBoolean();
        java.util.concurrent.atomic.AtomicLong faultsDone = new java.util.concurrent.atomic.AtomicLong();
        Thread faults = Thread.ofPlatform().name("faults").start(() -> {
            for (Scheduled s : scenario.faults()) {
                sleepUntil(t0 + s.at().toNanos());
                long start = System.nanoTime();
                strikes.add(new Strike(s.fault().name(), start));
                try {
                    s.fault().strike(controls);
                    faultLog.add(String.format(
                            "%5.1f s  %s (%.1f s)",
                            (start - t0) / 1e9, s.fault().name(), (System.nanoTime() - start) / 1e9));
                } catch (Exception e) {
                    faultLog.add(String.format(
                            "%5.1f s  %s FAILED TO INJECT: %s",
                            (start - t0) / 1e9, s.fault().name(), e));
                }
            }
            faultsDone.set(System.nanoTime());
            faultsOver.set(true);
        });
        int flows = 0;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            long period = 1_000_000_000L / scenario.referralsPerSecond();
            long lastRefresh = System.nanoTime();
            // the load lasts its planned time and, when restarts run slow, until 5 s after the last fault,
            // so that every fault strikes under load
            for (long next = t0;
                    next - t0 < scenario.load().toNanos()
                            || !faultsOver.get()
                            || System.nanoTime() - faultsDone.get() < TimeUnit.SECONDS.toNanos(5);
                    next += period) {
                sleepUntil(next);
                if (System.nanoTime() - lastRefresh > TimeUnit.MINUTES.toNanos(5)) {
                    network.refresh(); // tokens last 15 minutes
                    lastRefresh = System.nanoTime();
                }
                flows++;
                pool.submit(() -> flow(recorder, createsWithoutId));
            }
            faults.join();
        } // waits for every flow
        long settleUntil = System.nanoTime() + scenario.settle().toNanos();
        History history = snapshot(recorder, published);
        while (System.nanoTime() < settleUntil && !settled(history)) {
            Thread.sleep(1000);
            history = snapshot(recorder, published);
        }
        reading.set(false);
        topicReader.join(10_000);
        history = snapshot(recorder, published);
        work.close();
        return new RunResult(
                history,
                Checker.check(history),
                List.copyOf(faultLog),
                flows,
                createsWithoutId.get(),
                work.work(),
                recoveries(history, List.copyOf(strikes), t0));
    }

    /** Nothing is missing yet (the checker may still find duplicates or reordering). */
    static boolean settled(History h) {
        return Checker.check(h).stream()
                .noneMatch(v -> v.property().equals("published") || v.property().equals("delivered"));
    }

    private History snapshot(History.Recorder recorder, ConcurrentLinkedQueue<Published> published) {
        List<Delivered> delivered = new ArrayList<>();
        for (Receiver.Delivery d : receiver.deliveries()) {
            if (d.signatureValid()) {
                delivered.add(new Delivered(d.webhookId(), d.eventId(), d.referralId(), d.type(), d.arrivalNanos()));
            }
        }
        return new History(recorder.operations(), new ArrayList<>(published), delivered);
    }

    private void flow(History.Recorder recorder, AtomicInteger createsWithoutId) {
        String[] id = new String[1];
        String createKey = UUID.randomUUID().toString();
        long createSent = System.nanoTime();
        Outcome created = attempt(() -> {
            TandemApi.Answer a = api.createReferral(network.senderCaseworker(), network.receiverId(), createKey);
            if (a.ok()) {
                id[0] = a.json().get("id").asText();
            }
            return a;
        });
        if (id[0] == null) {
            createsWithoutId.incrementAndGet();
            return;
        }
        recorder.record(new Operation(id[0], "create", created, 1, createSent, System.nanoTime()));
        for (String step : List.of("submission", "acknowledgement", "acceptance")) {
            boolean bySender = step.equals("submission");
            String key = UUID.randomUUID().toString();
            int[] attempts = {0};
            long sent = System.nanoTime();
            Outcome o = attempt(() -> {
                attempts[0]++;
                return api.transition(
                        bySender ? network.senderCaseworker() : network.receiverCaseworker(), id[0], step, key);
            });
            recorder.record(new Operation(id[0], step, o, attempts[0], sent, System.nanoTime()));
            if (o != Outcome.OK) {
                return;
            }
        }
    }

    interface Call {
        TandemApi.Answer call();
    }

    /** Retries what may not have happened (no answer, 5xx, 408, 429) for up to 90 s with the same key. */
    private static Outcome attempt(Call call) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            TandemApi.Answer a = call.call();
            if (a.ok()) {
                return Outcome.OK;
            }
            if (a.status() >= 400 && a.status() < 500 && a.status() != 408 && a.status() != 429) {
                return Outcome.FAILED;
            }
            if (System.nanoTime() > deadline) {
                return Outcome.UNKNOWN;
            }
            Network.sleep(500);
        }
    }

    private void readTopic(ConcurrentLinkedQueue<Published> out, AtomicBoolean reading) {
        Map<String, Object> config = controls.endpoints().kafkaAdminClient(); // address, TLS and SCRAM
        config.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                "fault-checker-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                AvroKafkaDeserializer.class.getName(),
                "apicurio.registry.url",
                controls.endpoints().schemaRegistryUrl(),
                "apicurio.registry.use-specific-avro-reader",
                false));
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(Topics.REFERRALS));
            while (reading.get()) {
                for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() instanceof GenericRecord g && g.get("referral") instanceof GenericRecord ref) {
                        // partitions are keyed by referral id, so offsets order one referral's events
                        out.add(new Published(
                                String.valueOf(g.get("eventId")),
                                String.valueOf(ref.get("referralId")),
                                g.getSchema().getName(),
                                r.offset()));
                    }
                }
            }
        }
    }

    static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            Network.sleep(TimeUnit.NANOSECONDS.toMillis(wait));
        }
    }
}
