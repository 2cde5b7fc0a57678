package org.tandem.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessesTest {

    @TempDir
    Path dir;

    @Test
    void firstErrorsFindsTheCauseAboveALongShutdownAndIgnoresEarlierStarts() throws Exception {
        Path log = dir.resolve("kafka.log");
        List<String> lines = new ArrayList<>();
        lines.add(Processes.START_MARKER + "2026-12-07T16:00:00Z starting kafka: java ...");
        lines.add("[2026-12-07 16:00:01,000] ERROR an error of an earlier start (kafka.Kafka$)");
        lines.add(Processes.START_MARKER + "2026-12-07T16:04:30Z starting kafka: java ...");
        lines.add("[2026-12-07 16:04:31,000] INFO starting (kafka.server.KafkaRaftServer)");
        lines.add(
                "[2026-12-07 16:04:32,000] ERROR [KafkaRaftServer nodeId=1] Fatal error during startup (kafka.Kafka$)");
        lines.add("org.apache.kafka.common.KafkaException: Socket server failed to bind to localhost:23092:"
                + " Address already in use.");
        for (int i = 0; i < 100; i++) {
            lines.add("[2026-12-07 16:04:37,975] INFO shutting down part " + i);
        }
        Files.write(log, lines);

        String errors = Processes.firstErrors(log, 10);

        assertThat(errors)
                .contains("Fatal error during startup")
                .contains("Address already in use")
                .doesNotContain("earlier start")
                .doesNotContain("shutting down");
        assertThat(Processes.tail(log, 30)).doesNotContain("Address already in use");
    }

    @Test
    void firstErrorsSaysNoneForACleanLogAndKeepsToItsLimit() throws Exception {
        Path clean = dir.resolve("clean.log");
        Files.write(clean, List.of(Processes.START_MARKER + "start", "INFO all well"));
        assertThat(Processes.firstErrors(clean, 10)).isEqualTo("(none)");

        Path noisy = dir.resolve("noisy.log");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add("ERROR number " + i);
        }
        Files.write(noisy, lines);
        assertThat(Processes.firstErrors(noisy, 3).lines().toList())
                .containsExactly("ERROR number 0", "ERROR number 1", "ERROR number 2");
        assertThat(Processes.firstErrors(dir.resolve("absent.log"), 3)).isEqualTo("(no log yet)");
    }
}
