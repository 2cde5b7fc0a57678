package org.tandem.platform.security;

import java.lang.reflect.Proxy;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallerTest {

    final AtomicInteger claimReads = new AtomicInteger();

    Caller caller(boolean anonymous, Object organisationClaim) {
        var caller = new Caller();
        caller.identity = (SecurityIdentity) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {SecurityIdentity.class}, (proxy, method, args) -> {
                    if (method.getName().equals("isAnonymous")) {
                        return anonymous;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        caller.token = (JsonWebToken) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {JsonWebToken.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getClaim") && Caller.ORGANISATION_CLAIM.equals(args[0])) {
                        claimReads.incrementAndGet();
                        return organisationClaim;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return caller;
    }

    @Test
    void the_organisation_comes_from_the_claim_with_or_without_json_quotes() {
        UUID org = UUID.randomUUID();
        assertThat(caller(false, org.toString()).organisationId()).contains(org);
        assertThat(caller(false, "\"" + org + "\"").organisationId()).contains(org);
    }

    @Test
    void no_organisation_for_an_anonymous_call_a_missing_claim_or_a_malformed_one() {
        assertThat(caller(true, UUID.randomUUID().toString()).organisationId()).isEmpty();
        assertThat(caller(false, null).organisationId()).isEmpty();
        assertThat(caller(false, "not-a-uuid").organisationId()).isEmpty();
    }

    @Test
    void the_claim_is_read_once_per_request_however_often_it_is_asked() {
        UUID org = UUID.randomUUID();
        Caller caller = caller(false, org.toString());
        for (int i = 0; i < 5; i++) {
            assertThat(caller.organisationId()).contains(org);
        }
        assertThat(caller.requireOrganisation()).isEqualTo(org);
        assertThat(claimReads).hasValue(1);

        Caller without = caller(false, "not-a-uuid");
        without.organisationId();
        without.organisationId();
        assertThat(claimReads).hasValue(2);
    }
}
