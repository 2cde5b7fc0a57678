package org.tandem.platform.http;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * HTTP/2 only over TLS: the plain-HTTP port speaks HTTP/1.1 alone and ignores a request to upgrade to HTTP/2 in
 * clear text ({@code Upgrade: h2c}), or a connection that starts with HTTP/2's preface (docs/security.md, "HTTP/2
 * only over TLS"). HTTP/2 over TLS (ALPN) is untouched.
 *
 * <p>Why: an upgrade to h2c that a reverse proxy passes through turns the connection into a tunnel to the service
 * that the proxy no longer reads ("h2c smuggling"), past the ingress's rules on paths such as {@code /q/}. And the
 * upgrade of Vert.x's server did not hold against the JDK's own HTTP client, which asks for it by default on
 * {@code http://}: a metrics scrape in a test came back as HTTP/1.1 bytes on a connection the client read as
 * HTTP/2 frames, and a loop of such requests hung. Nothing of Tandem's needs h2c: probes, Prometheus, the ingress
 * and the services' own calls speak HTTP/1.1 in clear text.
 */
@ApplicationScoped
public class NoCleartextHttp2 implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
