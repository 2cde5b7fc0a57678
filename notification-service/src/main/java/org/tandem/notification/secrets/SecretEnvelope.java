package org.tandem.notification.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals a secret for storage with AES-256-GCM under the current key-encryption key, and opens it again.
 * A sealed value is text: {@code kek1.<key id>.<base64url nonce>.<base64url ciphertext and tag>}, with a
 * random 96-bit nonce for every value. The additional authenticated data is the value's header
 * ({@code kek1.<key id>}) and its <em>context</em>, which names the row and column it belongs to (for example
 * {@code webhook_endpoint.secret:<endpoint id>}): a sealed value copied to another row or column, or altered
 * in any byte, does not open. The key never leaves configuration (docs/security.md, "Secrets at rest").
 */
public final class SecretEnvelope {

    public static final String VERSION = "kek1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Longest value accepted for opening: far above any webhook secret or Ed25519 key. */
    private static final int MAX_SEALED_CHARS = 4096;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final KeyEncryptionKeys keys;

    public SecretEnvelope(KeyEncryptionKeys keys) {
        this.keys = keys;
    }

    public KeyEncryptionKeys keys() {
        return keys;
    }

    /** Seals {@code plaintext} under the current key, bound to {@code context}. */
    public String seal(String plaintext, String context) {
        if (plaintext == null) {
            return null;
        }
        String header = VERSION + "." + keys.currentId();
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.current(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(header, context));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return header + "." + B64.encodeToString(nonce) + "." + B64.encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available", e);
        }
    }

    /**
     * Opens a value that {@link #seal} made for the same {@code context}.
     *
     * @throws UnknownKeyException if it was sealed under a key id that the configuration does not hold
     * @throws SealedValueException if it is malformed, altered, or belongs to another context
     */
    public String open(String sealed, String context) {
        if (sealed == null) {
            return null;
        }
        String[] parts = parts(sealed);
        String kid = parts[1];
        var key = keys.key(kid).orElseThrow(() -> new UnknownKeyException(kid, context));
        try {
            byte[] nonce = B64D.decode(parts[2]);
            byte[] body = B64D.decode(parts[3]);
            if (nonce.length != NONCE_BYTES) {
                throw new SealedValueException("the sealed value of " + context + " has a nonce of the wrong length");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(parts[0] + "." + kid, context));
            return new String(cipher.doFinal(body), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SealedValueException("the sealed value of " + context
                    + " does not authenticate under key '" + kid
                    + "': it was altered, belongs to another row or column,"
                    + " or that key id names a different key than when it was sealed");
        } catch (IllegalArgumentException e) {
            throw new SealedValueException("the sealed value of " + context + " is not valid base64url");
        } catch (GeneralSecurityException e) {
            throw new SealedValueException("the sealed value of " + context + " cannot be opened: "
                    + e.getClass().getSimpleName());
        }
    }

    /** The key id a value is sealed under. */
    public static String keyId(String sealed) {
        return parts(sealed)[1];
    }

    /** Whether {@code value} has the form of a sealed value (it says nothing about whether it opens). */
    public static boolean looksSealed(String value) {
        try {
            parts(value);
            return true;
        } catch (SealedValueException e) {
            return false;
        }
    }

    private static String[] parts(String sealed) {
        if (sealed == null || sealed.length() > MAX_SEALED_CHARS) {
            throw new SealedValueException("not a sealed value");
        }
        String[] parts = sealed.split("\\.", -1);
        if (parts.length != 4
                || !parts[0].equals(VERSION)
                || !KeyEncryptionKeys.KEY_ID.matcher(parts[1]).matches()) {
            throw new SealedValueException(
                    "not a sealed value (expected " + VERSION + ".<key id>.<nonce>.<ciphertext>)");
        }
        return parts;
    }

    private static byte[] aad(String header, String context) {
        return (header + "|" + context).getBytes(StandardCharsets.UTF_8);
    }

    /** A value that is malformed, altered, or sealed for another context. */
    public static class SealedValueException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public SealedValueException(String message) {
            super(message);
        }
    }

    /** A value sealed under a key id that the configuration no longer (or not yet) holds. */
    public static final class UnknownKeyException extends SealedValueException {
        private static final long serialVersionUID = 1L;
        private final String keyId;

        UnknownKeyException(String keyId, String context) {
            super("the sealed value of " + context + " is sealed under the key-encryption key '" + keyId + "', which "
                    + KeyEncryptionKeys.PROPERTY + " does not hold: add that key again (after the current one) and run"
                    + " rewrap-secrets before removing it (docs/security.md)");
            this.keyId = keyId;
        }

        public String keyId() {
            return keyId;
        }
    }
}
