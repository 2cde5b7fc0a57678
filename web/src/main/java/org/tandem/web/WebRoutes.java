package org.tandem.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import org.tandem.web.config.WebConfig;

/**
 * The web module serves the bundle (META-INF/resources, built by Vite) and nothing else but
 * {@code /config.json}, which tells the browser where Keycloak and the services are. Every answer carries
 * a Content-Security-Policy that lets scripts come only from this origin and lets the page talk only to
 * those addresses.
 */
@ApplicationScoped
public class WebRoutes {

    @Inject
    WebConfig config;

    void routes(@Observes Router router) {
        String csp = contentSecurityPolicy();
        router.route().order(-100).handler(rc -> {
            rc.response()
                    .putHeader("Content-Security-Policy", csp)
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
            rc.next();
        });
        String body = configJson().encode();
        router.get("/config.json")
                .handler(rc -> rc.response()
                        .putHeader("Content-Type", "application/json")
                        .putHeader("Cache-Control", "no-store")
                        .end(body));
    }

    JsonObject configJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("oidcUrl", config.oidcUrl());
        m.put("clientId", config.clientId());
        m.put("registryUrl", config.registryUrl());
        m.put("referralUrl", config.referralUrl());
        m.put("notificationUrl", config.notificationUrl());
        return new JsonObject(m);
    }

    String contentSecurityPolicy() {
        Set<String> connect = new LinkedHashSet<>();
        connect.add("'self'");
        for (String url :
                new String[] {config.oidcUrl(), config.registryUrl(), config.referralUrl(), config.notificationUrl()}) {
            connect.add(origin(url));
        }
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
                + "connect-src " + String.join(" ", connect) + "; frame-src " + origin(config.oidcUrl())
                + "; frame-ancestors 'none'; form-action 'self' " + origin(config.oidcUrl()) + "; base-uri 'self'";
    }

    static String origin(String url) {
        URI u = URI.create(url);
        return u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
    }
}
