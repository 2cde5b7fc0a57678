package org.tandem.registry.domain;

import java.time.Instant;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Jazzer fuzz test of the JWK an org-admin publishes. In {@code verify} it runs in regression mode over
 * {@code src/test/resources/org/tandem/registry/domain/PublicKeyFuzzTestInputs/}; with {@code JAZZER_FUZZ=1}
 * it fuzzes for real. The only allowed refusal is an {@link InvalidProfileException} that names the field;
 * what is accepted must be a public key with no private member in what gets published.
 */
class PublicKeyFuzzTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NBF = Instant.parse("2026-11-26T00:00:00Z");

    @FuzzTest
    void publishedKey(byte[] input) {
        Map<String, Object> jwk;
        try {
            jwk = JSON.readValue(input, new TypeReference<Map<String, Object>>() {});
        } catch (Exception notAnObject) {
            return; // the REST layer refuses what is not a JSON object before this code runs
        }
        try {
            PublicKeyPolicy.PublicKey key = PublicKeyPolicy.parse(jwk, "keys[0]", NBF, NBF.plusSeconds(86_400));
            if (key.jwk().isPrivate() || key.publicJson().contains("\"d\"")) {
                throw new AssertionError("a private key was accepted");
            }
            if (key.kid() == null || key.kid().isBlank()) {
                throw new AssertionError("a key without kid was accepted");
            }
        } catch (InvalidProfileException refused) {
            if (refused.field() == null || !refused.field().startsWith("keys[0]")) {
                throw new AssertionError("refusal names another field: " + refused.field());
            }
        }
    }
}
