package org.tandem.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeyFingerprintTest {

    /** RFC 7638, section 3.1: the example RSA key and its SHA-256 thumbprint NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs. */
    static final String RFC_7638_KEY = """
            {"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}""";

    @Test
    void the_fingerprint_is_the_rfc_7638_thumbprint_in_groups_of_four_hex_digits() throws Exception {
        assertThat(KeyFingerprint.of(JWK.parse(RFC_7638_KEY)))
                .isEqualTo("3736 CBB1 787C B830 9C77 EE8C 3705 C5E1 6FFB 9E85 9715 901F 1E4C 59B1 1182 F57B");
    }

    /**
     * The EC key of RFC 7517 appendix A.1 and the fingerprint the web application's keyFingerprint (jose's
     * calculateJwkThumbprint) gives for it: the sender's browser and tandem-client show the same digits.
     */
    @Test
    void the_same_ec_key_has_the_same_fingerprint_here_as_in_the_web_application() throws Exception {
        JWK key = JWK.parse("{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
                + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\",\"use\":\"enc\",\"kid\":\"k\"}");
        assertThat(KeyFingerprint.of(key))
                .isEqualTo("A0A2 32C2 F194 A535 53CB 1310 DDBC 0821 E414 B9D7 EBFC 290B 3230 84D7 D102 0FE5");
    }

    @Test
    void an_ec_key_s_fingerprint_covers_exactly_crv_kty_x_y_and_not_its_private_part() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256)
                .keyUse(KeyUse.ENCRYPTION)
                .keyID("any-kid")
                .generate();
        String canonical =
                "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + key.getX() + "\",\"y\":\"" + key.getY() + "\"}";
        String hex = HexFormat.of()
                .withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        String fingerprint = KeyFingerprint.of(key.toPublicJWK());
        assertThat(fingerprint.replace(" ", "")).isEqualTo(hex);
        assertThat(fingerprint).matches("([0-9A-F]{4} ){15}[0-9A-F]{4}");
        assertThat(KeyFingerprint.of(key)).isEqualTo(fingerprint);
        assertThat(KeyFingerprint.matches(fingerprint.toLowerCase().replace(" ", ""), key))
                .isTrue();
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        assertThat(KeyFingerprint.matches(fingerprint, other)).isFalse();
        assertThat(KeyFingerprint.matches(null, key)).isFalse();
    }
}
