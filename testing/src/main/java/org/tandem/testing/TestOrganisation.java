package org.tandem.testing;

import java.util.UUID;

/**
 * An organisation that exists only in Keycloak until a test registers it in the registry: its id, and
 * users of each role with real tokens. Users are created on first use.
 */
public final class TestOrganisation {

    private final UUID id;
    private final String slug;
    private final String country;
    private final String groupId;
    private final KeycloakRealm realm;
    private String caseworker;
    private String secondCaseworker;
    private String admin;
    private String integrationClient;

    TestOrganisation(UUID id, String slug, String country, String groupId, KeycloakRealm realm) {
        this.id = id;
        this.slug = slug;
        this.country = country;
        this.groupId = groupId;
        this.realm = realm;
    }

    public UUID id() {
        return id;
    }

    public String slug() {
        return slug;
    }

    public String country() {
        return country;
    }

    public synchronized String caseworkerToken() {
        if (caseworker == null) {
            caseworker = realm.createUser("cw-" + slug, "caseworker", groupId);
        }
        return realm.passwordToken(caseworker);
    }

    /** A second caseworker of the same organisation, for concurrency tests. */
    public synchronized String secondCaseworkerToken() {
        if (secondCaseworker == null) {
            secondCaseworker = realm.createUser("cw2-" + slug, "caseworker", groupId);
        }
        return realm.passwordToken(secondCaseworker);
    }

    public synchronized String adminToken() {
        if (admin == null) {
            admin = realm.createUser("admin-" + slug, "org-admin", groupId);
        }
        return realm.passwordToken(admin);
    }

    public synchronized String integrationToken() {
        if (integrationClient == null) {
            integrationClient = realm.createIntegrationClient("integration-" + slug, secret(), groupId);
        }
        return realm.clientCredentialsToken(integrationClient, secret());
    }

    private String secret() {
        return "secret-" + id;
    }

    @Override
    public String toString() {
        return slug + " (" + id + ")";
    }
}
