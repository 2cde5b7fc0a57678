package org.tandem.notification.persistence;

import java.time.Instant;
import java.util.UUID;

/**
 * An endpoint's secrets as its row holds them, sealed (docs/security.md, "Secrets at rest"): what signing a delivery
 * needs, read with the delivery's lease instead of loading the endpoint's entity. {@code WebhookSecrets} opens them.
 *
 * @param previousSecret null unless a rotation's overlap keeps it until {@code previousSecretUntil}
 * @param ed25519PrivateKey null unless the endpoint has a key for {@code v1a} signatures
 */
public record SealedSecrets(
        UUID endpointId, String secret, String previousSecret, Instant previousSecretUntil, String ed25519PrivateKey) {}
