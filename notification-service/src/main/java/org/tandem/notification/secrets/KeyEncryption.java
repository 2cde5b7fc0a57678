package org.tandem.notification.secrets;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The service's {@link SecretEnvelope}, from {@value KeyEncryptionKeys#PROPERTY}. It is built when the
 * service starts, so that a missing or malformed setting stops the start with a message naming it.
 */
@Startup
@Singleton
public class KeyEncryption {

    @ConfigProperty(name = KeyEncryptionKeys.PROPERTY)
    String configured;

    private SecretEnvelope envelope;

    @PostConstruct
    void load() {
        try {
            envelope = new SecretEnvelope(KeyEncryptionKeys.parse(configured));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    public SecretEnvelope envelope() {
        return envelope;
    }

    public String seal(String plaintext, String context) {
        return envelope.seal(plaintext, context);
    }

    public String open(String sealed, String context) {
        return envelope.open(sealed, context);
    }

    public String currentKeyId() {
        return envelope.keys().currentId();
    }
}
