package org.tandem.web;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** The module serves the built bundle, its configuration, and a Content-Security-Policy. */
@QuarkusTest
class WebAppTest {

    @Test
    void serves_the_bundle_with_a_restrictive_content_security_policy() {
        given().when()
                .get("/")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("<div id=\"root\"></div>"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("connect-src 'self' http://localhost:18180"))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                .header("Cache-Control", equalTo("no-cache"));
    }

    @Test
    void tells_the_browser_where_keycloak_and_the_services_are() {
        given().when()
                .get("/config.json")
                .then()
                .statusCode(200)
                .body("oidcUrl", equalTo("http://localhost:18180/realms/tandem"))
                .body("clientId", equalTo("tandem-web"))
                .body("referralUrl", equalTo("http://localhost:18102"));
    }

    @Test
    void is_ready_for_the_dev_stack() {
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    @TestHTTPResource("/")
    URI root;

    /** HTTP/2 only over TLS (docs/security.md): an upgrade to h2c is ignored and answered in HTTP/1.1, not 101. */
    @Test
    void ignores_an_upgrade_to_http_2_in_clear_text() throws Exception {
        String request = "GET / HTTP/1.1\r\nHost: " + root.getHost() + ":" + root.getPort() + "\r\n"
                + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n";
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(3_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[4096];
            int read;
            while (answer.indexOf("\r\n") < 0 && (read = in.read(buffer)) >= 0) {
                answer.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
            }
            assertThat(answer.toString(), startsWith("HTTP/1.1 200 OK\r\n"));
        }
    }
}
