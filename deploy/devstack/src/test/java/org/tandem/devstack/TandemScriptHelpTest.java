package org.tandem.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./tandem <command> --help} prints the command's usage and builds nothing. The script runs in a
 * copy of the repository that holds only the script and the usage files, with a {@code mvnw} that records
 * that it was called: a build, or a launch of a launcher jar, would show there or fail.
 */
class TandemScriptHelpTest {

    static final Path REPO = Main.findRepoRoot();
    static final String STACK_USAGE = "deploy/devstack/src/main/resources/org/tandem/devstack/usage.txt";
    static final String BENCH_USAGE = "bench/src/main/resources/org/tandem/bench/usage.txt";

    @TempDir
    Path copy;

    @BeforeEach
    void copyTheScriptAndTheUsageFiles() throws IOException {
        for (String file : List.of("tandem", "deploy/bin/tandem", STACK_USAGE, BENCH_USAGE)) {
            Path to = copy.resolve(file);
            Files.createDirectories(to.getParent());
            Files.copy(REPO.resolve(file), to);
        }
        Path mvnw = copy.resolve("mvnw");
        Files.writeString(mvnw, "#!/usr/bin/env bash\ntouch \"$(dirname \"$0\")/build-started\"\nexit 1\n");
        Files.setPosixFilePermissions(mvnw, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    record Run(int exit, String out, String err) {}

    Run tandem(String... args) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of("bash", copy.resolve("tandem").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("tandem-help", ".out");
        Path err = Files.createTempFile("tandem-help", ".err");
        try {
            Process p = new ProcessBuilder(command)
                    .directory(copy.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("./tandem " + String.join(" ", args) + " did not end in 30 s");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    void assertNothingWasBuilt() throws IOException {
        assertThat(copy.resolve("build-started")).as("mvnw was called").doesNotExist();
        try (Stream<Path> all = Files.walk(copy)) {
            assertThat(all.filter(p -> p.getFileName().toString().equals("target")
                            || p.getFileName().toString().equals(".tandem")))
                    .as("a build or a stack left a directory")
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"up", "down", "status", "infra-up"})
    void a_stack_command_prints_the_launchers_usage(String command) throws Exception {
        Run r = tandem(command, "--help");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .isEqualTo(Files.readString(REPO.resolve(STACK_USAGE), StandardCharsets.UTF_8))
                .contains(command)
                .isEqualTo(Main.USAGE);
        assertNothingWasBuilt();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bench", "faults"})
    void bench_and_faults_print_the_bench_usage(String command) throws Exception {
        Run r = tandem(command, "--help");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .isEqualTo(Files.readString(REPO.resolve(BENCH_USAGE), StandardCharsets.UTF_8))
                .contains("./tandem " + command);
        assertNothingWasBuilt();
    }

    @Test
    void help_after_other_options_and_short_h_work_too() throws Exception {
        Run r = tandem("bench", "--rates", "10", "-h");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Usage: ./tandem bench");
        Run help = tandem("help", "status");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).isEqualTo(Main.USAGE);
        assertNothingWasBuilt();
    }

    @Test
    void test_prints_its_own_usage_without_starting_anything() throws Exception {
        Run r = tandem("test", "--help");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Usage: ./tandem test").contains("TANDEM_TEST_PORT_BASE");
        assertNothingWasBuilt();
    }

    @Test
    void the_overview_lists_every_command() throws Exception {
        for (String help : List.of("--help", "-h", "help")) {
            Run r = tandem(help);
            assertThat(r.exit()).isZero();
            assertThat(r.out())
                    .startsWith("Usage: ./tandem <command>")
                    .contains("up ", "down ", "status ", "infra-up ", "test ", "bench ", "faults ", "mvn ");
        }
        assertNothingWasBuilt();
    }

    @Test
    void an_unknown_command_is_a_usage_error() throws Exception {
        Run r = tandem("help", "frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown command: frobnicate");
        assertNothingWasBuilt();
    }

    @Test
    void without_help_the_script_does_try_to_build() throws Exception {
        // the check above can fail: the same copy, asked to run the benchmark, calls mvnw
        Run r = tandem("bench", "--rates", "10");
        assertThat(r.exit()).isNotZero();
        assertThat(copy.resolve("build-started")).exists();
    }
}
