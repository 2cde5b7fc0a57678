package org.tandem.registry.rest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.tandem.registry.domain.ServiceCode;

/**
 * The public profile as Open Referral HSDS 3.0 {@code service} records, one per service an organisation
 * offers, each with its {@code organization}, {@code languages}, {@code service_areas} and the taxonomy code as
 * an {@code attribute} with its {@code taxonomy_term}. Built from the public view only, so it can never hold the
 * confidential address. Ids of the derived records are name-based UUIDs, stable across exports.
 */
public final class HsdsMapper {

    public static final String TAXONOMY_URI = "urn:tandem:taxonomy:services";

    private HsdsMapper() {}

    public static List<Map<String, Object>> services(OrganisationView o) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ServiceCode code : o.services()) {
            String serviceId = id(o.id() + "/service/" + code.name());
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", serviceId);
            s.put("organization_id", o.id().toString());
            s.put("name", code.englishLabel());
            s.put("description", code.englishLabel() + " (" + code.name() + ")");
            s.put("status", "active");
            s.put("eligibility_description", eligibility(o.eligibility()));
            if (o.eligibility().minAge() != null) {
                s.put("minimum_age", o.eligibility().minAge());
            }
            if (o.eligibility().maxAge() != null) {
                s.put("maximum_age", o.eligibility().maxAge());
            }
            s.put(
                    "languages",
                    o.languages().stream()
                            .map(lang -> {
                                Map<String, Object> l = new LinkedHashMap<>();
                                l.put("id", id(serviceId + "/language/" + lang));
                                l.put("service_id", serviceId);
                                l.put("code", lang);
                                return l;
                            })
                            .toList());
            Map<String, Object> area = new LinkedHashMap<>();
            area.put("id", id(serviceId + "/area"));
            area.put("service_id", serviceId);
            area.put("name", o.region() == null ? o.country() : o.region());
            area.put("description", o.region() == null ? "ISO 3166-1 " + o.country() : "ISO 3166-2 " + o.region());
            s.put("service_areas", List.of(area));
            String termId = id(TAXONOMY_URI + "/" + code.name());
            Map<String, Object> term = new LinkedHashMap<>();
            term.put("id", termId);
            term.put("code", code.name());
            term.put("name", code.englishLabel());
            term.put("description", code.englishLabel());
            term.put("language", "en");
            term.put("term_uri", TAXONOMY_URI + ":" + code.name());
            Map<String, Object> attribute = new LinkedHashMap<>();
            attribute.put("id", id(serviceId + "/attribute"));
            attribute.put("link_id", serviceId);
            attribute.put("taxonomy_term_id", termId);
            attribute.put("link_type", "service_type");
            attribute.put("link_entity", "service");
            attribute.put("taxonomy_term", term);
            s.put("attributes", List.of(attribute));
            Map<String, Object> organization = new LinkedHashMap<>();
            organization.put("id", o.id().toString());
            organization.put("name", o.name());
            organization.put("description", o.description() == null ? "" : o.description());
            s.put("organization", organization);
            out.add(s);
        }
        return out;
    }

    static String eligibility(OrganisationView.Eligibility e) {
        List<String> parts = new ArrayList<>();
        parts.add(e.womenOnly() ? "women only" : "open to all genders");
        parts.add(e.acceptsWomenWithChildren() ? "women with children welcome" : "no accompanying children");
        parts.add(e.acceptsMinors() ? "minors accepted" : "adults only");
        if (e.minAge() != null || e.maxAge() != null) {
            parts.add("aged " + (e.minAge() == null ? "any" : e.minAge()) + " to "
                    + (e.maxAge() == null ? "any" : e.maxAge()));
        }
        return String.join("; ", parts);
    }

    private static String id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
