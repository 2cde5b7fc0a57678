package org.tandem.notification.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;

/**
 * Signs deliveries exactly as the Standard Webhooks specification says: {@code v1,<base64 HMAC-SHA256>} of
 * {@code id.timestamp.body} with each current secret (the reference library computes it), and
 * {@code v1a,<base64 Ed25519 signature>} of the same content when the endpoint has a key pair (JCA Ed25519).
 * Several signatures are separated by spaces.
 */
public final class WebhookSigner {

    public static final String SECRET_PREFIX = "whsec_";
    public static final String PUBLIC_KEY_PREFIX = "whpk_";
    public static final int MIN_SECRET_BYTES = 24;
    public static final int MAX_SECRET_BYTES = 64;
    /** The X.509 encoding of an Ed25519 public key is this fixed prefix and the 32-byte raw key. */
    private static final int ED25519_X509_PREFIX = 12;

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSigner() {}

    /** A new endpoint secret: 32 random bytes as {@code whsec_<base64>}. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** Whether {@code secret} is {@code whsec_} and base64 of 24 to 64 bytes. */
    public static boolean isValidSecret(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            return false;
        }
        try {
            int n = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length())).length;
            return n >= MIN_SECRET_BYTES && n <= MAX_SECRET_BYTES;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A new Ed25519 key pair: [PKCS#8 private key in base64, {@code whpk_<base64 raw public key>}]. */
    public static String[] newEd25519KeyPair() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] x509 = pair.getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(x509, ED25519_X509_PREFIX, x509.length);
            return new String[] {
                Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()),
                PUBLIC_KEY_PREFIX + Base64.getEncoder().encodeToString(raw)
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }

    /** The {@code webhook-signature} header value for the given secrets and optional Ed25519 private key. */
    public static String signatures(
            List<String> secrets, String ed25519PrivateKey, String webhookId, long timestampSeconds, String body) {
        List<String> parts = new ArrayList<>();
        for (String secret : secrets) {
            parts.add(sign(secret, webhookId, timestampSeconds, body));
        }
        if (ed25519PrivateKey != null) {
            parts.add("v1a," + signEd25519(ed25519PrivateKey, webhookId, timestampSeconds, body));
        }
        return String.join(" ", parts);
    }

    public static String sign(String secret, String webhookId, long timestampSeconds, String body) {
        try {
            return new Webhook(secret).sign(webhookId, timestampSeconds, body);
        } catch (WebhookSigningException e) {
            throw new IllegalStateException("could not sign a webhook", e);
        }
    }

    static String signEd25519(String privateKeyBase64, String webhookId, long timestampSeconds, String body) {
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateKeyBase64)));
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update((webhookId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign a webhook with Ed25519", e);
        }
    }
}
