package org.tandem.referral.support;

import java.util.ArrayList;
import java.util.List;

import org.tandem.events.common.ServiceCode;
import org.tandem.testing.EventTopicWriter;
import org.tandem.testing.KeycloakRealm;
import org.tandem.testing.TestOrganisation;

/**
 * Approved member organisations for a test class: each gets a Keycloak group with users and an
 * integration client, and reaches referral-service's read model as an event on the organisations topic.
 */
public final class Network implements AutoCloseable {

    public final KeycloakRealm realm = KeycloakRealm.get();
    private final EventTopicWriter writer = new EventTopicWriter();
    private final List<TestOrganisation> organisations = new ArrayList<>();

    /** One approved organisation per country (ISO 3166-1 alpha-2), in order. */
    public static Network of(String... countries) {
        Network n = new Network();
        for (String country : countries) {
            TestOrganisation o = n.realm.createOrganisation(country);
            n.writer.approvedOrganisation(o, List.of(ServiceCode.SAFE_ACCOMMODATION, ServiceCode.LEGAL_ASSISTANCE));
            n.organisations.add(o);
        }
        return n;
    }

    public TestOrganisation get(int index) {
        return organisations.get(index);
    }

    @Override
    public void close() {
        writer.close();
    }
}
