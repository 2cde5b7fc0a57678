package org.tandem.notification.delivery;

import java.net.URI;
import java.net.URISyntaxException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tandem.platform.problem.ProblemException;

/**
 * Which webhook URLs are acceptable. HTTPS only, unless development settings allow plain HTTP to this
 * machine's loopback (for local receivers and tests).
 */
@ApplicationScoped
public class EndpointUrlPolicy {

    @ConfigProperty(name = "tandem.webhooks.allow-loopback", defaultValue = "false")
    boolean allowLoopback;

    @ConfigProperty(name = "tandem.webhooks.allow-http", defaultValue = "false")
    boolean allowHttp;

    public URI check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ProblemException.invalidField("url", "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw ProblemException.invalidField("url", "must use https");
        }
        if (uri.getHost() == null || uri.getUserInfo() != null || uri.getFragment() != null) {
            throw ProblemException.invalidField("url", "must be an absolute URL with a host and no credentials or fragment");
        }
        String host = uri.getHost().toLowerCase();
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
        if (loopback && !allowLoopback) {
            throw ProblemException.invalidField("url", "must not point at this network's own machines");
        }
        return uri;
    }
}
