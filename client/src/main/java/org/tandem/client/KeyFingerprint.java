package org.tandem.client;

import java.util.HexFormat;
import java.util.Locale;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;

/**
 * A public key's fingerprint for people to compare, for example over the phone before a case file is sent: the
 * key's RFC 7638 JWK thumbprint (SHA-256 over its required members, Nimbus {@link JWK#computeThumbprint()}), written
 * as 64 upper-case hexadecimal digits in 16 groups of four ({@code 3F2A 09B1 ...}). The web application shows the
 * same digits (crypto.ts {@code keyFingerprint}); docs/case-files.md, "Checking the receiver's key".
 */
public final class KeyFingerprint {

    private KeyFingerprint() {}

    /** The fingerprint of a key's public part (the private members, if any, do not enter the thumbprint). */
    public static String of(JWK key) {
        try {
            return format(key.computeThumbprint().decode());
        } catch (JOSEException e) {
            throw new CaseFileFormatException("jwk", "has no RFC 7638 thumbprint: " + e.getMessage());
        }
    }

    /** SHA-256 thumbprint bytes in groups of four hexadecimal digits. */
    static String format(byte[] thumbprint) {
        String hex = HexFormat.of().withUpperCase().formatHex(thumbprint);
        StringBuilder out = new StringBuilder(hex.length() + hex.length() / 4);
        for (int i = 0; i < hex.length(); i += 4) {
            out.append(i == 0 ? "" : " ").append(hex, i, Math.min(i + 4, hex.length()));
        }
        return out.toString();
    }

    /** Whether a fingerprint someone read out or typed names this key: spaces and case do not matter. */
    public static boolean matches(String given, JWK key) {
        return given != null && normalise(given).equals(normalise(of(key)));
    }

    private static String normalise(String fingerprint) {
        return fingerprint.replaceAll("[\\s:-]", "").toUpperCase(Locale.ROOT);
    }
}
