package org.tandem.notification.secrets;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.tandem.notification.persistence.SealedSecrets;
import org.tandem.notification.persistence.WebhookEndpointEntity;

/**
 * An endpoint's secrets, sealed in its row and opened only to sign or to answer the request that made them.
 * Each column's value is bound to its row and column ({@link #context}), so it opens nowhere else.
 */
@ApplicationScoped
public class WebhookSecrets {

    public static final String SECRET = "secret";
    public static final String PREVIOUS_SECRET = "previous_secret";
    public static final String ED25519_PRIVATE_KEY = "ed25519_private_key";
    /** The columns that hold sealed values, by the name of the secret they hold. */
    public static final List<String> COLUMNS = List.of(SECRET, PREVIOUS_SECRET, ED25519_PRIVATE_KEY);

    @Inject
    KeyEncryption kek;

    /** What a sealed value of {@code column} in endpoint {@code endpointId}'s row is bound to. */
    public static String context(String column, UUID endpointId) {
        return "webhook_endpoint." + column + ":" + endpointId;
    }

    public String secret(WebhookEndpointEntity e) {
        return kek.open(e.secretSealed, context(SECRET, e.id));
    }

    public void setSecret(WebhookEndpointEntity e, String secret) {
        e.secretSealed = kek.seal(secret, context(SECRET, e.id));
    }

    /** The current secret becomes the previous one until {@code until}; {@code secret} becomes current. */
    public void rotate(WebhookEndpointEntity e, String secret, Instant until) {
        e.previousSecretSealed = kek.seal(secret(e), context(PREVIOUS_SECRET, e.id));
        e.previousSecretUntil = until;
        setSecret(e, secret);
    }

    /** PKCS#8 in base64, or null. */
    public String ed25519PrivateKey(WebhookEndpointEntity e) {
        return ed25519PrivateKey(e.sealedSecrets());
    }

    /** PKCS#8 in base64, or null. */
    public String ed25519PrivateKey(SealedSecrets s) {
        return kek.open(s.ed25519PrivateKey(), context(ED25519_PRIVATE_KEY, s.endpointId()));
    }

    public void setEd25519PrivateKey(WebhookEndpointEntity e, String pkcs8Base64) {
        e.ed25519PrivateKeySealed = kek.seal(pkcs8Base64, context(ED25519_PRIVATE_KEY, e.id));
    }

    /** The secrets to sign with now: the current one, and the previous one during a rotation's overlap. */
    public List<String> signingSecrets(SealedSecrets s, Instant now) {
        String current = kek.open(s.secret(), context(SECRET, s.endpointId()));
        if (s.previousSecret() != null && s.previousSecretUntil() != null && now.isBefore(s.previousSecretUntil())) {
            return List.of(current, kek.open(s.previousSecret(), context(PREVIOUS_SECRET, s.endpointId())));
        }
        return List.of(current);
    }
}
