package org.tandem.notification.secrets;

import java.util.Base64;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The envelope on its own: sealing, binding to a row and column, tampering, key ids and the setting's format. */
class SecretEnvelopeTest {

    static final String OLD = "old-1:" + key(1);
    static final String NEW = "new-2:" + key(2);
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    static String key(int fill) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, (byte) fill);
        return Base64.getEncoder().encodeToString(k);
    }

    static SecretEnvelope envelope(String config) {
        return new SecretEnvelope(KeyEncryptionKeys.parse(config));
    }

    @Test
    void a_sealed_secret_opens_in_its_context_and_does_not_show_the_plaintext() {
        SecretEnvelope env = envelope(NEW + "," + OLD);
        String ctx = WebhookSecrets.context(WebhookSecrets.SECRET, UUID.randomUUID());
        String sealed = env.seal(SECRET, ctx);
        assertThat(sealed).startsWith("kek1.new-2.").doesNotContain(SECRET).doesNotContain(SECRET.substring(6));
        assertThat(SecretEnvelope.keyId(sealed)).isEqualTo("new-2");
        assertThat(env.open(sealed, ctx)).isEqualTo(SECRET);
        assertThat(env.seal(SECRET, ctx)).as("a fresh nonce every time").isNotEqualTo(sealed);
    }

    @Test
    void any_altered_character_is_refused() {
        SecretEnvelope env = envelope(NEW);
        String ctx = WebhookSecrets.context(WebhookSecrets.SECRET, UUID.randomUUID());
        String sealed = env.seal(SECRET, ctx);
        Random random = new Random(12); // seeded: the same positions every run
        int body = sealed.indexOf('.', "kek1.new-2.".length()); // nonce and ciphertext follow the header
        for (int i = 0; i < 40; i++) {
            int at = "kek1.new-2.".length() + random.nextInt(sealed.length() - "kek1.new-2.".length());
            if (sealed.charAt(at) == '.') {
                continue;
            }
            char replacement = sealed.charAt(at) == 'A' ? 'B' : 'A';
            String altered = sealed.substring(0, at) + replacement + sealed.substring(at + 1);
            assertThatThrownBy(() -> env.open(altered, ctx))
                    .as("altered at %d (body from %d)", at, body)
                    .isInstanceOf(SecretEnvelope.SealedValueException.class);
        }
        String truncated = sealed.substring(0, sealed.length() - 4);
        assertThatThrownBy(() -> env.open(truncated, ctx)).isInstanceOf(SecretEnvelope.SealedValueException.class);
        assertThatThrownBy(() -> env.open(SECRET, ctx))
                .as("plaintext is not a sealed value")
                .isInstanceOf(SecretEnvelope.SealedValueException.class);
    }

    @Test
    void a_value_moved_to_another_row_or_column_is_refused() {
        SecretEnvelope env = envelope(NEW);
        UUID row = UUID.randomUUID();
        String sealed = env.seal(SECRET, WebhookSecrets.context(WebhookSecrets.SECRET, row));
        assertThatThrownBy(() -> env.open(sealed, WebhookSecrets.context(WebhookSecrets.SECRET, UUID.randomUUID())))
                .isInstanceOf(SecretEnvelope.SealedValueException.class)
                .hasMessageContaining("does not authenticate");
        assertThatThrownBy(() -> env.open(sealed, WebhookSecrets.context(WebhookSecrets.PREVIOUS_SECRET, row)))
                .isInstanceOf(SecretEnvelope.SealedValueException.class);
        // relabelling the key id does not help either: the header is authenticated too
        SecretEnvelope both = envelope(NEW + "," + OLD.replace(key(1), key(2)));
        String relabelled = sealed.replace("kek1.new-2.", "kek1.old-1.");
        assertThatThrownBy(() -> both.open(relabelled, WebhookSecrets.context(WebhookSecrets.SECRET, row)))
                .isInstanceOf(SecretEnvelope.SealedValueException.class);
    }

    @Test
    void an_unknown_key_id_is_a_clear_error_and_an_older_key_still_opens_until_removed() {
        String ctx = WebhookSecrets.context(WebhookSecrets.ED25519_PRIVATE_KEY, UUID.randomUUID());
        String underOld = envelope(OLD).seal(SECRET, ctx);
        assertThat(envelope(NEW + "," + OLD).open(underOld, ctx)).isEqualTo(SECRET);
        assertThat(envelope(NEW + "," + OLD).seal(SECRET, ctx))
                .as("the first key seals")
                .startsWith("kek1.new-2.");
        assertThatThrownBy(() -> envelope(NEW).open(underOld, ctx))
                .isInstanceOf(SecretEnvelope.UnknownKeyException.class)
                .hasMessageContaining("'old-1'")
                .hasMessageContaining(KeyEncryptionKeys.PROPERTY)
                .hasMessageContaining("rewrap-secrets");
        // the same id bound to another key: refused, not silently wrong
        assertThatThrownBy(() -> envelope("old-1:" + key(3)).open(underOld, ctx))
                .isInstanceOf(SecretEnvelope.SealedValueException.class);
    }

    @Test
    void a_malformed_setting_is_refused_with_a_message_naming_it_but_never_the_key() {
        String k = key(7);
        for (String bad : new String[] {
            "",
            " ",
            "dev-1",
            "dev 1:" + k,
            ":" + k,
            "dev-1:not*base64",
            "dev-1:" + key(7).substring(0, 20),
            "dev-1:" + Base64.getEncoder().encodeToString(new byte[16]),
            "a:" + k + ",a:" + key(8),
            "a:" + k + ","
        }) {
            assertThatThrownBy(() -> KeyEncryptionKeys.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(KeyEncryptionKeys.PROPERTY + " (" + KeyEncryptionKeys.ENVIRONMENT + ")")
                    .hasMessageNotContaining(k);
        }
        assertThatThrownBy(() -> KeyEncryptionKeys.parse(null)).isInstanceOf(IllegalArgumentException.class);
        KeyEncryptionKeys keys = KeyEncryptionKeys.parse(" b-2:" + key(2) + " , a-1:" + key(1));
        assertThat(keys.currentId()).isEqualTo("b-2");
        assertThat(keys.holds("a-1")).isTrue();
        assertThat(keys.holds("c-3")).isFalse();
        // the development key in application.properties is well-formed
        assertThat(KeyEncryptionKeys.parse("dev-1:dGFuZGVtLWRldmVsb3BtZW50LWtlay0wMDAwMDAwMDA=")
                        .currentId())
                .isEqualTo("dev-1");
    }
}
