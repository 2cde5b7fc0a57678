package org.tandem.devstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The keys a stack's services need and that must outlive a restart: the case-file hub key
 * ({@code TANDEM_CASE_FILE_HUB_KEY}) and the key-encryption key of secrets at rest ({@code TANDEM_SECRETS_KEK}).
 * Generated at random the first time a state dir needs them and kept in {@code <state-dir>/secrets.properties}
 * (readable by its owner only), so that case files and secrets stored by one run stay readable by the next.
 * Production gets its own from a secret store (deploy/README.md); these never leave the machine.
 *
 * @param hubKey the hub key: 32 random bytes, base64
 * @param keyEncryptionKeys the key-encryption keys, {@code id:base64(32 bytes)}
 */
public record StackSecrets(String hubKey, String keyEncryptionKeys) {

    static final String FILE = "secrets.properties";

    /** The secrets of the stack in {@code stateDir}, created on first use. */
    public static synchronized StackSecrets of(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        try {
            if (!Files.isRegularFile(file)) {
                create(file);
            }
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            String hub = p.getProperty("hub-key");
            String kek = p.getProperty("key-encryption-keys");
            if (hub == null || kek == null) {
                throw new StackException(file + " lacks hub-key or key-encryption-keys; delete it to get new ones"
                        + " (case files and secrets stored with the old ones become unreadable)");
            }
            return new StackSecrets(hub, kek);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        SecureRandom random = new SecureRandom();
        Properties p = new Properties();
        p.setProperty("hub-key", randomKey(random));
        p.setProperty("key-encryption-keys", "stack-1:" + randomKey(random));
        Path tmp = Files.createTempFile(
                file.toAbsolutePath().getParent(),
                FILE,
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(
                    w,
                    "Keys of this local stack (written once by tandem-devstack; keep them, or stored case files"
                            + " and secrets become unreadable)");
        }
        try {
            Files.createLink(file, tmp); // fails if another process created it meanwhile: theirs wins
        } catch (FileAlreadyExistsException raced) {
            // keep the existing file
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String randomKey(SecureRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
