package org.tandem.client;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.tandem.client.cli.TandemClientCli;

import static org.assertj.core.api.Assertions.assertThat;

class CliTest {

    @TempDir
    Path dir;

    int run(StringWriter out, StringWriter err, String... args) {
        return TandemClientCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    String p(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void keygen_seal_open_and_receipts_work_from_the_command_line() throws Exception {
        var out = new StringWriter();
        var err = new StringWriter();
        assertThat(run(out, err, "keygen", "--private", p("s.jwks"), "--public", p("s.pub.jwks")))
                .isZero();
        assertThat(run(out, err, "keygen", "--private", p("r.jwks"), "--public", p("r.pub.jwks")))
                .isZero();
        assertThat(Files.readString(dir.resolve("r.pub.jwks"))).doesNotContain("\"d\"");
        assertThat(Files.readString(dir.resolve("r.jwks"))).contains("\"d\"");

        Files.writeString(dir.resolve("file.txt"), "Fixture text marker-cli-51");
        UUID referral = UUID.randomUUID();
        UUID sender = UUID.randomUUID();
        UUID receiver = UUID.randomUUID();
        assertThat(run(
                        out,
                        err,
                        "seal",
                        "--in",
                        p("file.txt"),
                        "--out",
                        p("file.jwe"),
                        "--referral",
                        referral.toString(),
                        "--categories",
                        "IDENTITY,HEALTH",
                        "--sender",
                        sender.toString(),
                        "--receiver",
                        receiver.toString(),
                        "--keys",
                        p("s.jwks"),
                        "--receiver-keys",
                        p("r.pub.jwks")))
                .as(err.toString())
                .isZero();
        assertThat(Files.readString(dir.resolve("file.jwe"))).doesNotContain("marker-cli-51");

        assertThat(run(out, err, "inspect", "--in", p("file.jwe"))).isZero();
        assertThat(out.toString()).contains(referral.toString());

        assertThat(run(
                        out,
                        err,
                        "open",
                        "--in",
                        p("file.jwe"),
                        "--out",
                        p("opened.txt"),
                        "--keys",
                        p("r.jwks"),
                        "--sender-keys",
                        p("s.pub.jwks")))
                .as(err.toString())
                .isZero();
        assertThat(Files.readString(dir.resolve("opened.txt"), StandardCharsets.UTF_8))
                .isEqualTo("Fixture text marker-cli-51");

        // opening with the wrong sender keys is refused with exit code 1 and names the field
        var err2 = new StringWriter();
        assertThat(run(
                        out,
                        err2,
                        "open",
                        "--in",
                        p("file.jwe"),
                        "--out",
                        p("x.txt"),
                        "--keys",
                        p("r.jwks"),
                        "--sender-keys",
                        p("r.pub.jwks")))
                .isEqualTo(1);
        assertThat(err2.toString()).contains("jws.header.kid");

        assertThat(run(
                        out,
                        err,
                        "receipt-sign",
                        "--referral",
                        referral.toString(),
                        "--organisation",
                        receiver.toString(),
                        "--keys",
                        p("r.jwks"),
                        "--out",
                        p("receipt.jws")))
                .isZero();
        assertThat(run(out, err, "receipt-verify", "--in", p("receipt.jws"), "--issuer-keys", p("r.pub.jwks")))
                .isZero();
        assertThat(out.toString()).contains("purged referral " + referral);
        assertThat(run(
                        out,
                        new StringWriter(),
                        "receipt-verify",
                        "--in",
                        p("receipt.jws"),
                        "--issuer-keys",
                        p("s.pub.jwks")))
                .isEqualTo(1);
    }

    @Test
    void seal_shows_the_receiver_keys_fingerprint_first_and_refuses_a_fingerprint_that_does_not_match()
            throws Exception {
        var out = new StringWriter();
        assertThat(run(out, new StringWriter(), "keygen", "--private", p("s.jwks"), "--public", p("s.pub.jwks")))
                .isZero();
        assertThat(run(out, new StringWriter(), "keygen", "--private", p("r.jwks"), "--public", p("r.pub.jwks")))
                .isZero();
        assertThat(run(out, new StringWriter(), "keygen", "--private", p("x.jwks"), "--public", p("x.pub.jwks")))
                .isZero();
        Files.writeString(dir.resolve("file.txt"), "Fixture text marker-cli-52");
        var receiverKey = OrganisationKeys.current(
                        com.nimbusds.jose.jwk.JWKSet.parse(Files.readString(dir.resolve("r.pub.jwks"))),
                        com.nimbusds.jose.jwk.KeyUse.ENCRYPTION)
                .orElseThrow();
        // computed here from the RFC 7638 members, not by the tool
        String canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + receiverKey.getX() + "\",\"y\":\""
                + receiverKey.getY() + "\"}";
        String hex = java.util.HexFormat.of()
                .withUpperCase()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        String expected = String.join(" ", hex.split("(?<=\\G.{4})"));
        String[] seal = {
            "seal",
            "--in",
            p("file.txt"),
            "--out",
            p("file.jwe"),
            "--referral",
            UUID.randomUUID().toString(),
            "--categories",
            "HEALTH",
            "--sender",
            UUID.randomUUID().toString(),
            "--receiver",
            UUID.randomUUID().toString(),
            "--keys",
            p("s.jwks"),
            "--receiver-keys",
            p("r.pub.jwks")
        };

        var err = new StringWriter();
        assertThat(run(out, err, seal)).as(err.toString()).isZero();
        assertThat(err.toString()).contains("Receiver key " + receiverKey.getKeyID() + " fingerprint: " + expected);
        assertThat(Files.exists(dir.resolve("file.jwe"))).isTrue();

        // pinned to the fingerprint the receiver read out: sealed; pinned to another key's: refused, nothing written
        Files.delete(dir.resolve("file.jwe"));
        var pinned = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(seal),
                        java.util.stream.Stream.of("--receiver-fingerprint", expected.toLowerCase()))
                .toArray(String[]::new);
        assertThat(run(out, new StringWriter(), pinned)).isZero();
        Files.delete(dir.resolve("file.jwe"));
        var substituted = java.util.Arrays.copyOf(seal, seal.length);
        substituted[substituted.length - 1] = p("x.pub.jwks"); // someone else's key under the receiver's name
        var refused = new StringWriter();
        var pinnedToSubstitute = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(substituted),
                        java.util.stream.Stream.of("--receiver-fingerprint", expected))
                .toArray(String[]::new);
        assertThat(run(out, refused, pinnedToSubstitute)).isEqualTo(1);
        assertThat(refused.toString()).contains("receiver-fingerprint").doesNotContain(expected);
        assertThat(Files.exists(dir.resolve("file.jwe"))).isFalse();
    }

    @Test
    void an_unknown_category_is_a_usage_error() {
        var err = new StringWriter();
        assertThat(run(
                        new StringWriter(),
                        err,
                        "seal",
                        "--in",
                        p("a"),
                        "--out",
                        p("b"),
                        "--referral",
                        UUID.randomUUID().toString(),
                        "--categories",
                        "SHOE_SIZE",
                        "--sender",
                        UUID.randomUUID().toString(),
                        "--receiver",
                        UUID.randomUUID().toString(),
                        "--keys",
                        p("k"),
                        "--receiver-keys",
                        p("r")))
                .isEqualTo(2);
    }
}
