package org.tandem.referral.service;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.SecretKey;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;

import org.tandem.referral.config.CaseFileConfig;
import org.tandem.referral.domain.Envelope;

/**
 * The hub keys that wrap case files' data keys (docs/case-files.md), and the envelope encryption with them:
 * a file is sealed with a fresh per-referral data key, which is wrapped with the current hub key. Older hub
 * keys stay configured while data keys wrapped with them exist. The associated data binds the sealed file
 * and the wrapped key to their referral (and the key to its hub key), so a row copied elsewhere does not open.
 */
@ApplicationScoped
public class HubKeyRing {

    /** A sealed file with its data key, wrapped with the hub key {@code hubKeyId}. */
    public record Sealed(byte[] file, String hubKeyId, byte[] wrappedKey) {}

    @Inject
    CaseFileConfig config;

    private Map<String, SecretKey> hubKeys;

    /**
     * Reads the hub keys at startup, so that a malformed one stops the service. A missing or development key
     * never gets here in production: org.tandem.platform.config.ProductionSettingsCheck refuses it first.
     */
    void checkKeys(@Observes StartupEvent start) {
        hubKeys();
    }

    synchronized Map<String, SecretKey> hubKeys() {
        if (hubKeys == null) {
            Map<String, SecretKey> keys = new HashMap<>();
            config.hubKeys()
                    .forEach((id, b64) ->
                            keys.put(id, Envelope.key(Base64.getDecoder().decode(b64.strip()))));
            if (!keys.containsKey(config.currentHubKey())) {
                throw new IllegalStateException(
                        "tandem.case-files.current-hub-key names no key in tandem.case-files.hub-keys");
            }
            hubKeys = Map.copyOf(keys);
        }
        return hubKeys;
    }

    /** Seals {@code file} with a fresh data key and wraps that key with the current hub key. */
    public Sealed seal(UUID referral, byte[] file) {
        SecretKey dataKey = Envelope.newDataKey();
        byte[] sealed = Envelope.seal(dataKey, file, fileAad(referral));
        String hubKeyId = config.currentHubKey();
        return new Sealed(
                sealed, hubKeyId, Envelope.wrap(hubKeys().get(hubKeyId), dataKey, keyAad(referral, hubKeyId)));
    }

    /** Unwraps the data key with the hub key that wrapped it and opens the file. */
    public byte[] open(UUID referral, Sealed sealed) {
        SecretKey hubKey = hubKeys().get(sealed.hubKeyId());
        if (hubKey == null) {
            throw new IllegalStateException("the hub key that wrapped this data key is no longer configured");
        }
        SecretKey dataKey = Envelope.unwrap(hubKey, sealed.wrappedKey(), keyAad(referral, sealed.hubKeyId()));
        return Envelope.open(dataKey, sealed.file(), fileAad(referral));
    }

    private static byte[] fileAad(UUID referral) {
        return ("tandem-case-file:" + referral).getBytes(StandardCharsets.US_ASCII);
    }

    /** The associated data that binds a wrapped data key to its referral and hub key (for the hub-key rotation). */
    public static byte[] dataKeyAssociatedData(UUID referral, String hubKeyId) {
        return keyAad(referral, hubKeyId);
    }

    private static byte[] keyAad(UUID referral, String hubKeyId) {
        return ("tandem-data-key:" + referral + ":" + hubKeyId).getBytes(StandardCharsets.US_ASCII);
    }
}
