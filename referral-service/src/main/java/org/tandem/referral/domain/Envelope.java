package org.tandem.referral.domain;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption with JCA AES-256-GCM: the hub seals each case file with a fresh per-referral data
 * key and wraps that data key with a hub key. Sealed bytes are {@code nonce (12) || ciphertext || tag (16)};
 * the associated data binds them to their referral, so a row copied to another referral does not open.
 */
public final class Envelope {

    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Envelope() {}

    /** Sealed data that does not open with the given key and associated data. */
    public static final class TamperedException extends RuntimeException {
        TamperedException() {
            super("sealed data does not open with this key");
        }
    }

    /** A fresh AES-256 data key. */
    public static SecretKey newDataKey() {
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES");
            g.init(KEY_BYTES * 8, RANDOM);
            return g.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available", e);
        }
    }

    /** An AES-256 key from its raw bytes (a hub key from configuration). */
    public static SecretKey key(byte[] raw) {
        if (raw == null || raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key has " + KEY_BYTES + " bytes");
        }
        return new SecretKeySpec(raw, "AES");
    }

    public static byte[] seal(SecretKey key, byte[] plaintext, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associatedData);
            byte[] ct = c.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + ct.length)
                    .put(nonce)
                    .put(ct)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public static byte[] open(SecretKey key, byte[] sealed, byte[] associatedData) {
        if (sealed == null || sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new TamperedException();
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOf(sealed, NONCE_BYTES)));
            c.updateAAD(associatedData);
            return c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new TamperedException();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Wraps a data key with a hub key. */
    public static byte[] wrap(SecretKey hubKey, SecretKey dataKey, byte[] associatedData) {
        return seal(hubKey, dataKey.getEncoded(), associatedData);
    }

    /** Unwraps a data key with the hub key it was wrapped with. */
    public static SecretKey unwrap(SecretKey hubKey, byte[] wrapped, byte[] associatedData) {
        return key(open(hubKey, wrapped, associatedData));
    }
}
