package org.tandem.notification.support;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.tandem.testing.WebhookReceiver;

/**
 * Verification written here from the text of the Standard Webhooks specification ("Verifying webhooks"),
 * independent of the library the service signs with: the signed content is
 * {@code webhook-id + "." + webhook-timestamp + "." + body}; {@code v1} is the base64 HMAC-SHA256 of it
 * keyed with the base64-decoded part of the {@code whsec_} secret; {@code v1a} is the base64 Ed25519
 * signature of it, checked with the {@code whpk_} public key; the header holds space-separated
 * {@code version,signature} pairs, and a message is valid if any one of them verifies.
 */
public final class StandardWebhooksVerifier {

    /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410), before the 32 raw key bytes. */
    private static final byte[] ED25519_SPKI_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };

    private StandardWebhooksVerifier() {}

    static String signedContent(WebhookReceiver.Received r) {
        return r.header("webhook-id") + "." + r.header("webhook-timestamp") + "." + r.body();
    }

    /** The {@code version,signature} pairs of the header. */
    public static List<String[]> signatures(WebhookReceiver.Received r) {
        List<String[]> out = new ArrayList<>();
        for (String part : r.header("webhook-signature").split(" ")) {
            int comma = part.indexOf(',');
            out.add(new String[] {part.substring(0, comma), part.substring(comma + 1)});
        }
        return out;
    }

    public static boolean v1Valid(String secret, WebhookReceiver.Received r) {
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String expected = Base64.getEncoder()
                    .encodeToString(mac.doFinal(signedContent(r).getBytes(StandardCharsets.UTF_8)));
            return signatures(r).stream().anyMatch(s -> s[0].equals("v1") && s[1].equals(expected));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The public key of a {@code whpk_} value. */
    public static PublicKey ed25519PublicKey(String publicKey) throws java.security.GeneralSecurityException {
        byte[] raw = Base64.getDecoder().decode(publicKey.substring("whpk_".length()));
        byte[] spki = new byte[ED25519_SPKI_PREFIX.length + raw.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }

    public static boolean v1aValid(String publicKey, WebhookReceiver.Received r) {
        try {
            PublicKey key = ed25519PublicKey(publicKey);
            for (String[] s : signatures(r)) {
                if (s[0].equals("v1a")) {
                    Signature v = Signature.getInstance("Ed25519");
                    v.initVerify(key);
                    v.update(signedContent(r).getBytes(StandardCharsets.UTF_8));
                    if (v.verify(Base64.getDecoder().decode(s[1]))) {
                        return true;
                    }
                }
            }
            return false;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
