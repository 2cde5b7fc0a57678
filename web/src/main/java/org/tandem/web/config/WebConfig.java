package org.tandem.web.config;

import io.smallrye.config.ConfigMapping;

/**
 * Where the browser finds Keycloak and the three services. The web application reads these at start-up
 * from {@code /config.json}, so one bundle serves every deployment.
 */
@ConfigMapping(prefix = "tandem.web")
public interface WebConfig {

    /** The realm's issuer URL, e.g. http://localhost:18180/realms/tandem */
    String oidcUrl();

    /** The public OIDC client of the web application (authorisation code + PKCE). */
    String clientId();

    String registryUrl();

    String referralUrl();

    String notificationUrl();
}
