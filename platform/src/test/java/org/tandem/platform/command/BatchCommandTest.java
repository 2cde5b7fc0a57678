package org.tandem.platform.command;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A service's maintenance command line on its own: its batch size, its refusals and its exit codes. */
class BatchCommandTest {

    private static final BatchCommand COMMAND = new BatchCommand("some-service", "tidy-up", 100, 500);

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureErr() {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreErr() {
        System.setErr(originalErr);
    }

    @Test
    void the_batch_size_is_the_default_unless_given_within_its_bounds() {
        assertThat(COMMAND.batchSize("tidy-up")).isEqualTo(100);
        assertThat(COMMAND.batchSize("tidy-up", "--batch-size=1")).isEqualTo(1);
        assertThat(COMMAND.batchSize("tidy-up", "--batch-size=500")).isEqualTo(500);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "tidy",
                "tidy-up --batch-size=0",
                "tidy-up --batch-size=501",
                "tidy-up --batch-size=x",
                "tidy-up --all",
                "tidy-up --batch-size=5 now"
            })
    void anything_else_is_refused(String commandLine) {
        assertThatThrownBy(() -> COMMAND.batchSize(commandLine.split(" ")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrong_arguments_exit_64_with_the_usage_and_run_nothing() {
        AtomicInteger runs = new AtomicInteger();
        int exit = COMMAND.run(new String[] {"tidy-up", "--batch-size=0"}, batch -> runs.incrementAndGet());
        assertThat(exit).isEqualTo(64);
        assertThat(runs).hasValue(0);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(
                        "some-service: the batch size must be 1 to 500. Usage: some-service [tidy-up [--batch-size=N]]");
    }

    @Test
    void the_command_gets_its_batch_size_and_answers_the_exit_code_and_a_failure_exits_1() {
        assertThat(COMMAND.run(new String[] {"tidy-up", "--batch-size=7"}, batch -> batch == 7 ? 2 : 99))
                .isEqualTo(2);
        assertThat(COMMAND.run(new String[] {"tidy-up"}, batch -> {
                    throw new IllegalStateException("the key is missing");
                }))
                .isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("tidy-up failed: the key is missing");
    }
}
