package org.tandem.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runnable jar that {@code package} builds, run as a partner runs it: {@code java -jar
 * client/target/tandem-client.jar ...} in a process of its own, with nothing else on its class path
 * (docs/case-files.md).
 */
class TandemClientJarIT {

    static Path jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void findJar() {
        jar = Path.of(System.getProperty("tandem.client.jar", "target/tandem-client.jar"))
                .toAbsolutePath();
        assertThat(jar).as("the runnable jar built by package").isRegularFile();
    }

    record Run(int exit, String out, String err) {}

    /** Runs {@code java -jar tandem-client.jar args} with this JVM's java, in {@link #dir}. */
    Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("java -jar tandem-client.jar " + String.join(" ", args) + " did not end in 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void help_lists_every_command_and_exits_0() throws Exception {
        Run r = run("--help");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("Usage: tandem-client")
                .contains("keygen", "seal", "open", "inspect", "receipt-sign", "receipt-verify");
    }

    @Test
    void every_command_takes_help() throws Exception {
        Run r = run("seal", "--help");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Usage: tandem-client seal").contains("--receiver-keys");
        Run help = run("help", "open");
        assertThat(help.exit()).as(help.err()).isZero();
        assertThat(help.out()).startsWith("Usage: tandem-client open").contains("--sender-keys");
    }

    @Test
    void a_usage_error_exits_2() throws Exception {
        Run r = run("seal", "--in", "missing-options-follow");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option");
    }

    @Test
    void a_case_file_and_its_deletion_receipt_make_the_round_trip_through_the_jar() throws Exception {
        assertThat(run("keygen", "--private", "sender.jwks", "--public", "sender.pub.jwks")
                        .exit())
                .isZero();
        Run keygen = run("keygen", "--private", "receiver.jwks", "--public", "receiver.pub.jwks");
        assertThat(keygen.exit()).as(keygen.err()).isZero();
        assertThat(keygen.out()).contains("encryption kid", "signature kid");

        byte[] content = "Fixture text marker-jar-73".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("file.txt"), content);
        UUID referral = UUID.randomUUID();
        UUID sender = UUID.randomUUID();
        UUID receiver = UUID.randomUUID();
        Run seal = run(
                "seal",
                "--in",
                "file.txt",
                "--out",
                "file.jwe",
                "--referral",
                referral.toString(),
                "--categories",
                "IDENTITY,HEALTH",
                "--sender",
                sender.toString(),
                "--receiver",
                receiver.toString(),
                "--keys",
                "sender.jwks",
                "--receiver-keys",
                "receiver.pub.jwks");
        assertThat(seal.exit()).as(seal.err()).isZero();
        assertThat(Files.readString(dir.resolve("file.jwe"))).doesNotContain("marker-jar-73");

        Run inspect = run("inspect", "--in", "file.jwe");
        assertThat(inspect.exit()).as(inspect.err()).isZero();
        assertThat(inspect.out()).contains("referral " + referral);

        Run open = run(
                "open",
                "--in",
                "file.jwe",
                "--out",
                "opened.txt",
                "--keys",
                "receiver.jwks",
                "--sender-keys",
                "sender.pub.jwks");
        assertThat(open.exit()).as(open.err()).isZero();
        assertThat(open.out()).contains("verified: referral " + referral);
        assertThat(Files.readAllBytes(dir.resolve("opened.txt"))).isEqualTo(content);

        // the sender's keys cannot open what was sealed to the receiver: refused, exit 1
        Run wrong = run(
                "open",
                "--in",
                "file.jwe",
                "--out",
                "nothing.txt",
                "--keys",
                "sender.jwks",
                "--sender-keys",
                "sender.pub.jwks");
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).startsWith("refused: ");
        assertThat(dir.resolve("nothing.txt")).doesNotExist();

        Run sign = run(
                "receipt-sign",
                "--referral",
                referral.toString(),
                "--organisation",
                receiver.toString(),
                "--keys",
                "receiver.jwks",
                "--out",
                "receipt.jws");
        assertThat(sign.exit()).as(sign.err()).isZero();
        Run verify = run("receipt-verify", "--in", "receipt.jws", "--issuer-keys", "receiver.pub.jwks");
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("organisation " + receiver + " purged referral " + referral);
        assertThat(run("receipt-verify", "--in", "receipt.jws", "--issuer-keys", "sender.pub.jwks")
                        .exit())
                .isEqualTo(1);
    }
}
