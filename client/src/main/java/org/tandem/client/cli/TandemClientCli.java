package org.tandem.client.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.tandem.client.CaseFileFormatException;
import org.tandem.client.CaseFileHeader;
import org.tandem.client.CaseFiles;
import org.tandem.client.DataCategory;
import org.tandem.client.DeletionReceipt;
import org.tandem.client.KeyFingerprint;
import org.tandem.client.OrganisationKeys;

/**
 * {@code java -jar client/target/tandem-client.jar <command>}: the partner's tool for case files, built
 * by the client module's {@code package} with its dependencies inside (docs/case-files.md).
 * Files only; it never talks to the network, so it can run on an offline machine that holds the keys.
 */
@Command(
        name = "tandem-client",
        mixinStandardHelpOptions = true,
        version = "tandem-client 0.1",
        scope = CommandLine.ScopeType.INHERIT, // every command takes --help
        description =
                "Sign, encrypt, decrypt and verify Tandem case files; generate keys; sign and verify deletion receipts.",
        subcommands = {
            CommandLine.HelpCommand.class,
            TandemClientCli.Keygen.class,
            TandemClientCli.Seal.class,
            TandemClientCli.Open.class,
            TandemClientCli.Inspect.class,
            TandemClientCli.ReceiptSign.class,
            TandemClientCli.ReceiptVerify.class
        })
public final class TandemClientCli {

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the tool with these streams and returns its exit code (0 ok, 1 refused input, 2 usage). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new TandemClientCli());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof CaseFileFormatException f) {
                line.getErr().println("refused: " + f.field() + " " + f.getMessage());
                return 1;
            }
            if (ex instanceof IOException io) {
                line.getErr()
                        .println("cannot read or write a file: " + io.getClass().getSimpleName() + " "
                                + io.getMessage());
                return 1;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    @Command(name = "keygen", description = "Generate an organisation's encryption and signature key pairs.")
    static final class Keygen implements Callable<Integer> {
        @Option(
                names = "--private",
                required = true,
                description = "where to write the private JWK Set (keep it secret)")
        Path privateOut;

        @Option(
                names = "--public",
                required = true,
                description = "where to write the public JWK Set (publish it in the registry)")
        Path publicOut;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            OrganisationKeys keys = OrganisationKeys.generate();
            Files.writeString(privateOut, keys.toPrivateJwkSet());
            try {
                Files.setPosixFilePermissions(privateOut, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: protect the file by other means
            }
            Files.writeString(publicOut, keys.toPublicJwkSet());
            spec.commandLine()
                    .getOut()
                    .println("encryption kid " + keys.encryption().getKeyID());
            spec.commandLine()
                    .getOut()
                    .println("signature kid  " + keys.signature().getKeyID());
            return 0;
        }
    }

    @Command(
            name = "seal",
            description =
                    "Sign a file with your signature key and encrypt it to the receiver's current encryption key. "
                            + "Prints the receiver key's fingerprint to standard error first, to confirm with the receiver.")
    static final class Seal implements Callable<Integer> {
        @Option(names = "--in", required = true, description = "the case file (any bytes)")
        Path in;

        @Option(names = "--out", required = true, description = "where to write the compact JWE")
        Path out;

        @Option(names = "--referral", required = true, description = "the referral id")
        UUID referral;

        @Option(
                names = "--categories",
                required = true,
                split = ",",
                description = "data categories the file holds, e.g. IDENTITY,HEALTH")
        Set<DataCategory> categories;

        @Option(names = "--sender", required = true, description = "your organisation id")
        UUID sender;

        @Option(names = "--receiver", required = true, description = "the receiving organisation id")
        UUID receiver;

        @Option(names = "--keys", required = true, description = "your private JWK Set")
        Path keys;

        @Option(
                names = "--receiver-keys",
                required = true,
                description = "the receiver's public JWK Set from the registry")
        Path receiverKeys;

        @Option(
                names = "--receiver-fingerprint",
                description = "the fingerprint the receiver confirmed (for example by phone); "
                        + "sealing is refused when her current encryption key has another one")
        String expectedFingerprint;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            OrganisationKeys own = OrganisationKeys.fromPrivateJwkSet(read(keys));
            JWKSet published = OrganisationKeys.parseSet(read(receiverKeys), "receiver-keys");
            ECKey to = OrganisationKeys.current(published, KeyUse.ENCRYPTION)
                    .orElseThrow(() -> new CaseFileFormatException("receiver-keys", "holds no P-256 encryption key"));
            // before anything is sealed, so that the receiver can confirm the key (docs/case-files.md)
            spec.commandLine()
                    .getErr()
                    .println("Receiver key " + to.getKeyID() + " fingerprint: " + KeyFingerprint.of(to));
            if (expectedFingerprint != null && !KeyFingerprint.matches(expectedFingerprint, to)) {
                throw new CaseFileFormatException(
                        "receiver-fingerprint",
                        "does not match the receiver's current encryption key: nothing was sealed; confirm the key with the receiver");
            }
            Files.writeString(
                    out,
                    CaseFiles.seal(
                            Files.readAllBytes(in), referral, categories, sender, receiver, own.signature(), to));
            return 0;
        }
    }

    @Command(
            name = "open",
            description = "Decrypt a case file with your encryption key and verify the sender's signature.")
    static final class Open implements Callable<Integer> {
        @Option(names = "--in", required = true, description = "the compact JWE")
        Path in;

        @Option(names = "--out", required = true, description = "where to write the verified content")
        Path out;

        @Option(names = "--keys", required = true, description = "your private JWK Set")
        Path keys;

        @Option(names = "--sender-keys", required = true, description = "the sender's public JWK Set from the registry")
        Path senderKeys;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            OrganisationKeys own = OrganisationKeys.fromPrivateJwkSet(read(keys));
            JWKSet published = OrganisationKeys.parseSet(read(senderKeys), "sender-keys");
            CaseFiles.Opened opened = CaseFiles.open(
                    read(in),
                    own.encryption(),
                    kid -> OrganisationKeys.find(published, kid, KeyUse.SIGNATURE)
                            .orElse(null));
            Files.write(out, opened.content());
            spec.commandLine()
                    .getOut()
                    .println("verified: referral " + opened.referralId() + ", signed by key " + opened.senderKid()
                            + " of organisation " + opened.sender() + ", categories " + opened.dataCategories());
            return 0;
        }
    }

    @Command(name = "inspect", description = "Check and show a case file's protected header without decrypting it.")
    static final class Inspect implements Callable<Integer> {
        @Option(names = "--in", required = true, description = "the compact JWE")
        Path in;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            CaseFileHeader h = CaseFileHeader.parse(read(in));
            spec.commandLine()
                    .getOut()
                    .println("referral " + h.referralId() + ", encrypted to kid " + h.kid() + ", categories "
                            + h.dataCategories());
            return 0;
        }
    }

    @Command(name = "receipt-sign", description = "Sign a deletion receipt after purging a withdrawn referral's file.")
    static final class ReceiptSign implements Callable<Integer> {
        @Option(names = "--referral", required = true)
        UUID referral;

        @Option(names = "--organisation", required = true, description = "your organisation id")
        UUID organisation;

        @Option(names = "--purged-at", description = "when you purged it (ISO-8601 instant); default now")
        Instant purgedAt;

        @Option(names = "--keys", required = true, description = "your private JWK Set")
        Path keys;

        @Option(names = "--out", required = true)
        Path out;

        @Override
        public Integer call() throws IOException {
            OrganisationKeys own = OrganisationKeys.fromPrivateJwkSet(read(keys));
            Files.writeString(
                    out,
                    DeletionReceipt.sign(
                            organisation, referral, purgedAt == null ? Instant.now() : purgedAt, own.signature()));
            return 0;
        }
    }

    @Command(name = "receipt-verify", description = "Verify a deletion receipt against the issuer's published keys.")
    static final class ReceiptVerify implements Callable<Integer> {
        @Option(names = "--in", required = true)
        Path in;

        @Option(
                names = "--issuer-keys",
                required = true,
                description = "the receiving organisation's public JWK Set from the registry")
        Path issuerKeys;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            String compact = read(in);
            DeletionReceipt parsed = DeletionReceipt.parse(compact);
            JWKSet published = OrganisationKeys.parseSet(read(issuerKeys), "issuer-keys");
            ECKey key = OrganisationKeys.find(published, parsed.kid(), KeyUse.SIGNATURE)
                    .orElseThrow(() -> new CaseFileFormatException(
                            "receipt.header.kid", "is not among the issuer's published signature keys"));
            DeletionReceipt r = DeletionReceipt.verify(compact, key);
            spec.commandLine()
                    .getOut()
                    .println("verified: organisation " + r.organisationId() + " purged referral " + r.referralId()
                            + " at " + r.purgedAt());
            return 0;
        }
    }
}
