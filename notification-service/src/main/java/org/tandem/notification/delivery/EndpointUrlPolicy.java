package org.tandem.notification.delivery;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.tandem.notification.domain.AddressPolicy;
import org.tandem.notification.domain.Refusal;

/**
 * Which webhook URLs are acceptable (SSRF protection). HTTPS only, unless development settings allow
 * plain HTTP; no credentials, no fragment; and every address the host name resolves to must pass
 * {@link AddressPolicy}: loopback, private, link-local, metadata and their IPv6 equivalents are refused,
 * unless the development setting allows loopback. The check runs when an endpoint is registered and again
 * before every delivery, whose connection then goes to the address that was checked (no second lookup for
 * a rebinding DNS server to answer differently).
 */
@ApplicationScoped
public class EndpointUrlPolicy {

    public static final int MAX_URL_LENGTH = 2048;

    @ConfigProperty(name = "tandem.webhooks.allow-loopback", defaultValue = "false")
    boolean allowLoopback;

    @ConfigProperty(name = "tandem.webhooks.allow-http", defaultValue = "false")
    boolean allowHttp;

    /** A URL checked for delivery, with the address to connect to. */
    public record Target(URI uri, boolean https, String host, int port, InetAddress address) {
        /** Path and query, as sent in the request line. */
        public String requestUri() {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        }
    }

    /** Thrown before any connection is made to a refused address. */
    public static final class RefusedAddress extends Exception {
        public RefusedAddress(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The check at registration: a refusal naming {@code field} when the URL is not acceptable. */
    public URI check(String url) {
        return check(url, "url");
    }

    public URI check(String url, String field) {
        URI uri = parse(url)
                .orElseThrow(() -> new Refusal.InvalidField(
                        field, "must be an absolute https URL with a host, and no credentials or fragment"));
        if (!scheme(uri).equals("https") && !(allowHttp && scheme(uri).equals("http"))) {
            throw new Refusal.InvalidField(field, "must use https");
        }
        try {
            for (InetAddress a : InetAddress.getAllByName(host(uri))) {
                if (policy().refusal(a).isPresent()) {
                    throw new Refusal.InvalidField(
                            field, "must not point at a loopback, private, link-local or metadata address");
                }
            }
        } catch (UnknownHostException e) {
            // Not resolvable now: accepted, and checked again before every delivery.
        }
        return uri;
    }

    /** The check before a delivery: resolves the host once and returns the address to connect to. */
    public Target resolve(String url) throws RefusedAddress {
        URI uri = parse(url).orElseThrow(() -> new RefusedAddress("invalid URL"));
        String scheme = scheme(uri);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new RefusedAddress("not https");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host(uri));
        } catch (UnknownHostException e) {
            throw new RefusedAddress("host not found");
        }
        for (InetAddress a : addresses) {
            Optional<String> refusal = policy().refusal(a);
            if (refusal.isPresent()) {
                throw new RefusedAddress("refused address: " + refusal.get());
            }
        }
        boolean https = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        return new Target(uri, https, host(uri), port, addresses[0]);
    }

    private AddressPolicy policy() {
        return new AddressPolicy(allowLoopback);
    }

    private static Optional<URI> parse(String url) {
        if (url == null || url.length() > MAX_URL_LENGTH) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url);
            if (!uri.isAbsolute()
                    || uri.getHost() == null
                    || uri.getRawUserInfo() != null
                    || uri.getRawFragment() != null
                    || uri.getHost().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }

    private static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
