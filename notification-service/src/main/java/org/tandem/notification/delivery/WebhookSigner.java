package org.tandem.notification.delivery;

import java.util.Base64;
import java.security.SecureRandom;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookSigningException;

/**
 * Signs deliveries exactly as the Standard Webhooks specification says (HMAC-SHA256 over
 * {@code id.timestamp.body}, header value {@code v1,<base64>}), using the reference library.
 */
public final class WebhookSigner {

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSigner() {
    }

    /** A new endpoint secret: 32 random bytes as {@code whsec_<base64>}. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    public static String sign(String secret, String webhookId, long timestampSeconds, String body) {
        try {
            return new Webhook(secret).sign(webhookId, timestampSeconds, body);
        } catch (WebhookSigningException e) {
            throw new IllegalStateException("could not sign a webhook", e);
        }
    }
}
