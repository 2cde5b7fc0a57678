package org.tandem.notification.delivery;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.tandem.notification.support.StandardWebhooksVerifier;
import org.tandem.testing.WebhookReceiver;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignerTest {

    static WebhookReceiver.Received message(String signature) {
        return new WebhookReceiver.Received(
                "/",
                Map.of(
                        "webhook-id",
                        "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        "webhook-timestamp",
                        "1614265330",
                        "webhook-signature",
                        signature),
                "{\"test\": 2432232314}",
                null);
    }

    @Test
    void the_specifications_example_signature_is_reproduced() {
        // the example in the Standard Webhooks specification
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String header = WebhookSigner.signatures(
                List.of(secret), null, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}");
        assertThat(header).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assertThat(StandardWebhooksVerifier.v1Valid(secret, message(header))).isTrue();
    }

    @Test
    void rotation_signs_with_both_secrets_and_ed25519_adds_a_v1a_that_verifies_with_the_public_key() {
        String a = WebhookSigner.newSecret();
        String b = WebhookSigner.newSecret();
        String[] pair = WebhookSigner.newEd25519KeyPair();
        String header = WebhookSigner.signatures(
                List.of(a, b), pair[0], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}");
        var m = message(header);
        assertThat(header.split(" ")).hasSize(3);
        assertThat(StandardWebhooksVerifier.v1Valid(a, m)).isTrue();
        assertThat(StandardWebhooksVerifier.v1Valid(b, m)).isTrue();
        assertThat(StandardWebhooksVerifier.v1aValid(pair[1], m)).isTrue();
        assertThat(StandardWebhooksVerifier.v1aValid(WebhookSigner.newEd25519KeyPair()[1], m))
                .isFalse();
        assertThat(StandardWebhooksVerifier.v1Valid(WebhookSigner.newSecret(), m))
                .isFalse();
    }

    @Test
    void secrets_are_24_to_64_bytes() {
        assertThat(WebhookSigner.isValidSecret(WebhookSigner.newSecret())).isTrue();
        assertThat(WebhookSigner.isValidSecret("whsec_" + Base64.getEncoder().encodeToString(new byte[24])))
                .isTrue();
        assertThat(WebhookSigner.isValidSecret("whsec_" + Base64.getEncoder().encodeToString(new byte[64])))
                .isTrue();
        assertThat(WebhookSigner.isValidSecret("whsec_" + Base64.getEncoder().encodeToString(new byte[23])))
                .isFalse();
        assertThat(WebhookSigner.isValidSecret("whsec_" + Base64.getEncoder().encodeToString(new byte[65])))
                .isFalse();
        assertThat(WebhookSigner.isValidSecret("whsec_not base64!")).isFalse();
        assertThat(WebhookSigner.isValidSecret(Base64.getEncoder().encodeToString(new byte[32])))
                .isFalse();
    }
}
