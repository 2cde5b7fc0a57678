package org.tandem.client;

import java.util.Date;
import java.util.List;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrganisationKeysTest {

    static ECKey withTimes(ECKey key, long nbfSecondsAgo, Long expInSeconds) {
        long now = System.currentTimeMillis();
        return new ECKey.Builder(key.toPublicJWK())
                .notBeforeTime(new Date(now - nbfSecondsAgo * 1000))
                .expirationTime(expInSeconds == null ? null : new Date(now + expInSeconds * 1000))
                .build();
    }

    @Test
    void the_current_encryption_key_is_the_newest_valid_one_whatever_the_order() {
        ECKey old = withTimes(OrganisationKeys.generate().encryption(), 86_400, 3_600L);
        ECKey rotated = withTimes(OrganisationKeys.generate().encryption(), 60, null);
        ECKey future = withTimes(OrganisationKeys.generate().encryption(), -3_600, null);
        ECKey expired = withTimes(OrganisationKeys.generate().encryption(), 10, -1L);
        ECKey sig = withTimes(OrganisationKeys.generate().signature(), 1, null);
        for (List<JWK> order : List.of(
                List.<JWK>of(rotated, old, future, expired, sig), List.<JWK>of(sig, expired, old, future, rotated))) {
            assertThat(OrganisationKeys.current(new JWKSet(order), KeyUse.ENCRYPTION))
                    .contains(rotated);
        }
        assertThat(OrganisationKeys.current(new JWKSet(List.<JWK>of(sig)), KeyUse.ENCRYPTION))
                .isEmpty();
    }

    @Test
    void private_key_sets_round_trip_and_public_sets_hold_no_private_part() {
        OrganisationKeys keys = OrganisationKeys.generate();
        OrganisationKeys back = OrganisationKeys.fromPrivateJwkSet(keys.toPrivateJwkSet());
        assertThat(back.encryption().getKeyID()).isEqualTo(keys.encryption().getKeyID());
        assertThat(back.signature().isPrivate()).isTrue();
        assertThat(keys.toPublicJwkSet()).doesNotContain("\"d\"");
        assertThatThrownBy(() -> OrganisationKeys.fromPrivateJwkSet(keys.toPublicJwkSet()))
                .isInstanceOf(CaseFileFormatException.class)
                .extracting("field")
                .isEqualTo("keys");
        assertThatThrownBy(() -> OrganisationKeys.parseSet("{", "keys")).isInstanceOf(CaseFileFormatException.class);
    }
}
