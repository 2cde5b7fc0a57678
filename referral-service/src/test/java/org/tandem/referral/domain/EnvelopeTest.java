package org.tandem.referral.domain;

import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKey;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeTest {

    static final byte[] AAD = "tandem-case-file:1".getBytes(StandardCharsets.US_ASCII);

    @Test
    void a_sealed_file_opens_only_with_its_data_key_and_associated_data() {
        SecretKey hub = Envelope.newDataKey();
        SecretKey data = Envelope.newDataKey();
        byte[] file = "eyJhbGciOi.fixture".getBytes(StandardCharsets.US_ASCII);

        byte[] sealed = Envelope.seal(data, file, AAD);
        byte[] wrapped = Envelope.wrap(hub, data, AAD);
        assertThat(Envelope.open(Envelope.unwrap(hub, wrapped, AAD), sealed, AAD))
                .isEqualTo(file);

        assertThatThrownBy(() -> Envelope.open(Envelope.newDataKey(), sealed, AAD))
                .isInstanceOf(Envelope.TamperedException.class);
        assertThatThrownBy(() -> Envelope.open(data, sealed, "tandem-case-file:2".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(Envelope.TamperedException.class);
        assertThatThrownBy(() -> Envelope.unwrap(Envelope.newDataKey(), wrapped, AAD))
                .isInstanceOf(Envelope.TamperedException.class);
        sealed[20] ^= 1;
        assertThatThrownBy(() -> Envelope.open(data, sealed, AAD)).isInstanceOf(Envelope.TamperedException.class);
        assertThatThrownBy(() -> Envelope.open(data, new byte[5], AAD)).isInstanceOf(Envelope.TamperedException.class);
    }

    @Test
    void the_same_file_seals_differently_each_time() {
        SecretKey data = Envelope.newDataKey();
        byte[] file = "same".getBytes(StandardCharsets.US_ASCII);
        assertThat(Envelope.seal(data, file, AAD)).isNotEqualTo(Envelope.seal(data, file, AAD));
    }

    @Test
    void hub_keys_must_be_256_bits() {
        assertThatThrownBy(() -> Envelope.key(new byte[16])).isInstanceOf(IllegalArgumentException.class);
        assertThat(Envelope.key(new byte[32]).getAlgorithm()).isEqualTo("AES");
    }
}
