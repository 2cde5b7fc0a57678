package org.tandem.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the dev stack times a start: every service is waited for at once, and each one's figure runs from its own
 * process's start to its own first ready answer. Stand-ins: a {@code sleep} process per service and a tiny HTTP
 * server that answers {@code /q/health/ready} with 200 once told to.
 */
class ServicesAwaitReadyTest {

    @TempDir
    Path state;

    private final Map<String, HttpServer> servers = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();

    @AfterEach
    void stop() {
        servers.values().forEach(s -> s.stop(0));
        processes.values().forEach(Process::destroyForcibly);
    }

    /** A stand-in service's health endpoint: 503 until {@code readyAt} (System.nanoTime), then 200. */
    private int health(String name, long readyAt) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        server.createContext("/q/health/ready", ex -> {
            ex.sendResponseHeaders(System.nanoTime() >= readyAt ? 200 : 503, -1);
            ex.close();
        });
        server.start();
        servers.put(name, server);
        return server.getAddress().getPort();
    }

    private ProcessHandle process(String name) throws IOException {
        Process p = new ProcessBuilder("sleep", "60").start();
        processes.put(name, p);
        return p.toHandle();
    }

    @Test
    void timesEachServiceFromItsOwnStartToItsOwnReadyAnswerWaitingForAllAtOnce() throws Exception {
        long now = System.nanoTime();
        Services.Service slow = Services.ALL.get(0);
        Services.Service quick = Services.ALL.get(1);
        StackConfig cfg = StackConfig.builder()
                .stateDir(state)
                .port(slow.port(), health("slow", now + Duration.ofMillis(2500).toNanos()))
                .port(quick.port(), health("quick", now))
                .startTimeout(Duration.ofSeconds(30))
                .build();
        Map<Services.Instance, ProcessHandle> handles = new LinkedHashMap<>();
        // the slow one first: were they waited for one after the other, the quick one's figure would include it
        handles.put(new Services.Instance(slow, 0), process("slow"));
        handles.put(new Services.Instance(quick, 0), process("quick"));

        Map<Services.Instance, Duration> ready = Services.awaitReady(cfg, handles);

        assertThat(ready.get(new Services.Instance(slow, 0)))
                .isBetween(Duration.ofMillis(2400), Duration.ofSeconds(20));
        assertThat(ready.get(new Services.Instance(quick, 0))).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void aServiceThatDiesFailsTheStartWithItsName() throws Exception {
        Services.Service dead = Services.ALL.get(2);
        StackConfig cfg = StackConfig.builder()
                .stateDir(state)
                .port(dead.port(), health("dead", Long.MAX_VALUE))
                .startTimeout(Duration.ofSeconds(30))
                .build();
        ProcessHandle gone = new ProcessBuilder("true").start().onExit().get().toHandle();

        assertThatThrownBy(() -> Services.awaitReady(cfg, Map.of(new Services.Instance(dead, 0), gone)))
                .isInstanceOf(StackException.class)
                .hasMessageContaining(dead.processName())
                .hasMessageContaining("exited during start-up");
    }
}
