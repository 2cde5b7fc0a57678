package org.tandem.registry.rest;

import java.util.List;

import org.tandem.registry.application.CapacityReport;
import org.tandem.registry.application.DirectoryPage;
import org.tandem.registry.application.EligibilityTerms;
import org.tandem.registry.application.NewKeys;
import org.tandem.registry.application.OpeningHours;
import org.tandem.registry.application.OrganisationDetails;
import org.tandem.registry.application.OrganisationProfile;
import org.tandem.registry.domain.ConfidentialAddress;

/** Maps the REST API's types onto the application's commands, and its results onto the API's views. */
final class ApiMapping {

    private ApiMapping() {}

    static OrganisationProfile profile(OrganisationApplication in) {
        var el = in.eligibility();
        var address = in.confidentialAddress();
        return new OrganisationProfile(
                in.name(),
                in.description(),
                in.country(),
                in.region(),
                in.services(),
                in.languages(),
                new EligibilityTerms(
                        el.womenOnly(), el.acceptsMinors(), el.minAge(), el.maxAge(), el.acceptsWomenWithChildren()),
                capacity(in.capacity()),
                in.contactHours() == null
                        ? null
                        : in.contactHours().stream()
                                .map(h -> new OpeningHours(h.dayOfWeek(), h.opens(), h.closes()))
                                .toList(),
                address == null
                        ? null
                        : new ConfidentialAddress(
                                address.street(), address.postalCode(), address.locality(), address.country()));
    }

    static CapacityReport capacity(OrganisationApplication.CapacityInput in) {
        return new CapacityReport(in.available(), in.maximum(), in.unit());
    }

    static NewKeys keys(KeysInput in) {
        return new NewKeys(in.keys(), in.notBefore(), in.expiresAt());
    }

    static OrganisationView view(OrganisationDetails d) {
        var el = d.eligibility();
        var c = d.capacity();
        return new OrganisationView(
                d.id(),
                d.name(),
                d.description(),
                d.country(),
                d.region(),
                d.services(),
                d.languages(),
                new OrganisationView.Eligibility(
                        el.womenOnly(), el.acceptsMinors(), el.minAge(), el.maxAge(), el.acceptsWomenWithChildren()),
                new OrganisationView.CapacityView(c.available(), c.maximum(), c.unit(), c.updatedAt()),
                d.contactHours().stream()
                        .map(h -> new OrganisationView.ContactHours(h.dayOfWeek(), h.opens(), h.closes()))
                        .toList(),
                d.membershipStatus(),
                d.version());
    }

    static OrganisationPage page(DirectoryPage page) {
        return new OrganisationPage(page.items().stream().map(ApiMapping::view).toList(), page.nextCursor());
    }

    static AddressView address(ConfidentialAddress a) {
        return new AddressView(a.street(), a.postalCode(), a.locality(), a.country());
    }

    static List<OrganisationView> views(List<OrganisationDetails> details) {
        return details.stream().map(ApiMapping::view).toList();
    }
}
