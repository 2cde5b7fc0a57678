package org.tandem.web;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;

/**
 * HTTP/2 only over TLS, as on the services (platform's {@code NoCleartextHttp2}, docs/security.md, "HTTP/2 only
 * over TLS"): an {@code Upgrade: h2c} through a proxy would be a tunnel past the proxy's rules. This module does not
 * depend on platform, which brings the database and Kafka with it, so it carries its own copy of the one line.
 */
@ApplicationScoped
public class NoCleartextHttp2 implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
