package org.tandem.notification.secrets;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption keys (KEK) of {@value #PROPERTY} (environment {@value #ENVIRONMENT}):
 * {@code id:base64(32 bytes)[,id:base64(32 bytes)...]}. The first entry is current: it seals every secret
 * written from now on. The others only open secrets sealed before a rotation, until {@code rewrap-secrets}
 * has moved them to the current key (docs/security.md, "Rotating the key-encryption key").
 *
 * <p>Error messages name the setting and the key id, never the key material.
 */
public final class KeyEncryptionKeys {

    public static final String PROPERTY = "tandem.secrets.key-encryption-keys";
    public static final String ENVIRONMENT = "TANDEM_SECRETS_KEK";
    public static final String FORMAT = "id:base64(32 bytes)[,id:base64(32 bytes)...], the first one current";
    /** Key ids go into every sealed value, so they are short and need no escaping. */
    public static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    public static final int KEY_BYTES = 32;
    /** More keys than this is a configuration mistake (a rotation needs two). */
    public static final int MAX_KEYS = 16;

    private final String currentId;
    private final Map<String, SecretKey> keys;

    private KeyEncryptionKeys(String currentId, Map<String, SecretKey> keys) {
        this.currentId = currentId;
        this.keys = keys;
    }

    /** Parses the setting's value; a malformed one is refused with a message that names the setting. */
    public static KeyEncryptionKeys parse(String value) {
        if (value == null || value.isBlank()) {
            throw invalid("is empty");
        }
        String[] entries = value.split(",", -1);
        if (entries.length > MAX_KEYS) {
            throw invalid("holds " + entries.length + " keys; at most " + MAX_KEYS);
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw invalid("entry " + (i + 1) + " has no ':' between its id and its key");
            }
            String id = entry.substring(0, colon);
            if (!KEY_ID.matcher(id).matches()) {
                throw invalid("entry " + (i + 1) + " has an id that is not 1 to 32 letters, digits, '-' or '_'");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(entry.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw invalid("the key of '" + id + "' is not base64");
            }
            if (key.length != KEY_BYTES) {
                throw invalid("the key of '" + id + "' is " + key.length + " bytes; it must be " + KEY_BYTES
                        + " random bytes (for example: openssl rand -base64 32)");
            }
            if (keys.putIfAbsent(id, new SecretKeySpec(key, "AES")) != null) {
                throw invalid("names the key id '" + id + "' twice");
            }
            order.add(id);
        }
        return new KeyEncryptionKeys(order.get(0), Map.copyOf(keys));
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException(PROPERTY + " (" + ENVIRONMENT + ") " + why + ". Expected " + FORMAT + ".");
    }

    /** The id of the key that seals new secrets. */
    public String currentId() {
        return currentId;
    }

    SecretKey current() {
        return keys.get(currentId);
    }

    Optional<SecretKey> key(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    public boolean holds(String id) {
        return keys.containsKey(id);
    }
}
