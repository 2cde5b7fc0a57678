package org.tandem.referral.rest;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import org.tandem.testing.RawHttp;
import org.tandem.testing.TandemInfraResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/2 only over TLS (docs/security.md): the plain-HTTP port answers a request that asks to upgrade to h2c in
 * HTTP/1.1, and does not speak HTTP/2 to a connection that opens with its preface.
 */
@QuarkusTest
@WithTestResource(value = TandemInfraResource.class, initArgs = @ResourceArg(name = "service", value = "referral"))
class CleartextHttp2Test {

    /** An empty HTTP/2 SETTINGS frame: length 0, type 4, no flags, stream 0. */
    static final byte[] EMPTY_SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};

    @TestHTTPResource("/q/health/live")
    URI live;

    @Test
    void an_upgrade_to_h2c_is_ignored_and_answered_in_http_1_1() throws Exception {
        String request = "GET " + live.getPath() + " HTTP/1.1\r\n"
                + "Host: " + live.getHost() + ":" + live.getPort() + "\r\n"
                + "Connection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\n"
                + "HTTP2-Settings: AAMAAABkAAQAAP__\r\n"
                + "\r\n";
        String answer = RawHttp.firstLine(live.getPort(), request.getBytes(StandardCharsets.US_ASCII));
        // with h2c on, the server answers "HTTP/1.1 101 Switching Protocols" and goes on in HTTP/2 frames
        assertThat(answer.lines().findFirst()).hasValue("HTTP/1.1 200 OK");
    }

    @Test
    void a_connection_opening_with_the_http_2_preface_gets_no_http_2() throws Exception {
        byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] opening = Arrays.copyOf(preface, preface.length + EMPTY_SETTINGS.length);
        System.arraycopy(EMPTY_SETTINGS, 0, opening, preface.length, EMPTY_SETTINGS.length);
        String answer = RawHttp.firstLine(live.getPort(), opening);
        // with h2c on, the server's first bytes are its own SETTINGS frame (type 4 in the fourth byte); without, the
        // HTTP/1 parser refuses "PRI *" as a bad request, in text
        assertThat(answer)
                .satisfiesAnyOf(
                        a -> assertThat(a).isEmpty(),
                        a -> assertThat(a).matches("(?s)HTTP/\\d\\.\\d 400 Bad Request\r\n.*"));
    }
}
