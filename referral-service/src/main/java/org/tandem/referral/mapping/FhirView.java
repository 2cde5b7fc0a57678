package org.tandem.referral.mapping;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.tandem.referral.domain.Consent;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.Timeline;
import org.tandem.referral.domain.Urgency;

/**
 * A read-only FHIR R4 view of a referral, for health-sector partners: a {@code Bundle} (type
 * {@code collection}) of a {@code Task} (the workflow and its status), the {@code ServiceRequest} it is
 * about (requested services and priority) and, for the sender only, the {@code Consent}. Tandem's own
 * codes travel in code systems under {@code https://tandem.example.org/fhir/CodeSystem/}. Notes and the
 * case file are never part of it.
 */
public final class FhirView {

    static final String CS = "https://tandem.example.org/fhir/CodeSystem/";

    private FhirView() {}

    /**
     * @param base the absolute base the entries' fullUrls start with, ending in a slash
     * @param now the clock's time: the bundle's timestamp, and whether the consent is still active
     */
    public static Map<String, Object> bundle(Referral r, UUID viewer, long version, String base, Instant now) {
        boolean sender = r.parties().sender().equals(viewer);
        String id = r.id().toString();
        List<Map<String, Object>> entries = new ArrayList<>();
        entries.add(entry(base, "Task", id, task(r, version)));
        entries.add(entry(base, "ServiceRequest", id, serviceRequest(r)));
        if (sender) {
            r.consent().ifPresent(c -> entries.add(entry(base, "Consent", id, consent(r, c, now))));
        }
        var b = new LinkedHashMap<String, Object>();
        b.put("resourceType", "Bundle");
        b.put("id", id);
        b.put("type", "collection");
        b.put("timestamp", now.truncatedTo(ChronoUnit.SECONDS).toString());
        b.put("entry", entries);
        return b;
    }

    static Map<String, Object> task(Referral r, long version) {
        var t = new LinkedHashMap<String, Object>();
        Timeline tl = r.timeline();
        t.put("resourceType", "Task");
        t.put("id", r.id().toString());
        t.put("meta", Map.of("versionId", Long.toString(version)));
        t.put("identifier", List.of(Map.of("system", "urn:ietf:rfc:3986", "value", "urn:uuid:" + r.id())));
        t.put("status", taskStatus(r.status()));
        t.put("businessStatus", concept(CS + "referral-status", r.status().name()));
        switch (r) {
            case Referral.Declined d ->
                t.put("statusReason", concept(CS + "decline-reason", d.reason().name()));
            case Referral.Withdrawn w -> t.put("statusReason", concept(CS + "closure-reason", "CONSENT_WITHDRAWN"));
            default -> {}
        }
        t.put("intent", "order");
        t.put("priority", priority(r.facts().summary().urgency()));
        t.put("focus", Map.of("reference", "ServiceRequest/" + r.id()));
        t.put(
                "authoredOn",
                r.facts().createdAt().truncatedTo(ChronoUnit.SECONDS).toString());
        Instant last = latest(
                r.facts().createdAt(),
                tl.submittedAt(),
                tl.acknowledgedAt(),
                tl.decidedAt(),
                tl.startedAt(),
                tl.closedAt());
        t.put("lastModified", last.truncatedTo(ChronoUnit.SECONDS).toString());
        t.put("requester", organisation(r.parties().sender(), r.parties().senderCountry()));
        t.put("owner", organisation(r.parties().receiver(), r.parties().receiverCountry()));
        Instant due = r.status() == Referral.Status.SUBMITTED
                ? tl.acknowledgeBy()
                : r.status() == Referral.Status.ACKNOWLEDGED ? tl.decideBy() : null;
        if (due != null) {
            t.put(
                    "restriction",
                    Map.of(
                            "period",
                            Map.of("end", due.truncatedTo(ChronoUnit.SECONDS).toString())));
        }
        if (tl.submittedAt() != null) {
            var period = new LinkedHashMap<String, Object>();
            period.put("start", tl.submittedAt().truncatedTo(ChronoUnit.SECONDS).toString());
            if (tl.closedAt() != null) {
                period.put("end", tl.closedAt().truncatedTo(ChronoUnit.SECONDS).toString());
            }
            t.put("executionPeriod", period);
        }
        // a pathway's Tasks form a chain: a redirect is part of the declined referral it continues, an onward
        // referral part of the accepted referral it was made from; the pathway id groups them (docs/referrals.md)
        java.util.UUID previous = r.facts().redirectedFrom() != null
                ? r.facts().redirectedFrom()
                : r.facts().pathway().onwardFrom();
        if (previous != null) {
            t.put("partOf", List.of(Map.of("reference", "Task/" + previous)));
        }
        t.put(
                "groupIdentifier",
                Map.of(
                        "system",
                        "urn:ietf:rfc:3986",
                        "value",
                        "urn:uuid:" + r.facts().pathway().pathwayId()));
        t.put(
                "code",
                Map.of(
                        "coding",
                        List.of(Map.of(
                                "system",
                                CS + "stage",
                                "code",
                                r.facts().pathway().stage().name()))));
        if (r instanceof Referral.Completed c) {
            t.put(
                    "output",
                    List.of(Map.of(
                            "type",
                            concept(CS + "output", "OUTCOME"),
                            "valueCodeableConcept",
                            concept(CS + "outcome", c.outcome().name()))));
        }
        return t;
    }

    static Map<String, Object> serviceRequest(Referral r) {
        var s = new LinkedHashMap<String, Object>();
        var summary = r.facts().summary();
        s.put("resourceType", "ServiceRequest");
        s.put("id", r.id().toString());
        s.put(
                "status",
                switch (r.status()) {
                    case DRAFT -> "draft";
                    case SUBMITTED, ACKNOWLEDGED, ACCEPTED, IN_PROGRESS -> "active";
                    case COMPLETED -> "completed";
                    case DECLINED, CANCELLED, WITHDRAWN -> "revoked";
                });
        s.put("intent", "order");
        s.put("priority", priority(summary.urgency()));
        s.put("category", List.of(concept("http://snomed.info/sct", "3457005", "Patient referral")));
        s.put(
                "code",
                Map.of(
                        "coding",
                        summary.requestedServices().stream()
                                .map(Enum::name)
                                .sorted()
                                .map(code -> Map.of("system", CS + "service", "code", code))
                                .toList()));
        s.put(
                "authoredOn",
                r.facts().createdAt().truncatedTo(ChronoUnit.SECONDS).toString());
        s.put("requester", organisation(r.parties().sender(), r.parties().senderCountry()));
        s.put(
                "performer",
                List.of(organisation(r.parties().receiver(), r.parties().receiverCountry())));
        if (summary.arrivalEarliest() != null || summary.arrivalLatest() != null) {
            var period = new LinkedHashMap<String, Object>();
            if (summary.arrivalEarliest() != null) {
                period.put("start", summary.arrivalEarliest().toString());
            }
            if (summary.arrivalLatest() != null) {
                period.put("end", summary.arrivalLatest().toString());
            }
            s.put("occurrencePeriod", period);
        }
        if (!summary.languages().isEmpty()) {
            s.put(
                    "extension",
                    summary.languages().stream()
                            .map(l -> Map.of(
                                    "url",
                                    "https://tandem.example.org/fhir/StructureDefinition/survivor-language",
                                    "valueCode",
                                    l))
                            .toList());
        }
        return s;
    }

    static Map<String, Object> consent(Referral r, Consent c, Instant now) {
        var m = new LinkedHashMap<String, Object>();
        m.put("resourceType", "Consent");
        m.put("id", r.id().toString());
        m.put("status", c.isWithdrawn() ? "inactive" : now.isBefore(c.expiresAt()) ? "active" : "inactive");
        m.put("scope", concept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"));
        m.put("category", List.of(concept("http://loinc.org", "59284-0", "Consent Document")));
        m.put("dateTime", c.givenAt().truncatedTo(ChronoUnit.SECONDS).toString());
        m.put(
                "organization",
                List.of(organisation(r.parties().sender(), r.parties().senderCountry())));
        m.put("policyRule", concept(CS + "consent-form", c.formVersion() + "/" + c.formLanguage()));
        var provision = new LinkedHashMap<String, Object>();
        provision.put("type", "permit");
        var period = new LinkedHashMap<String, Object>();
        period.put("start", c.givenAt().truncatedTo(ChronoUnit.SECONDS).toString());
        period.put(
                "end",
                (c.isWithdrawn() ? c.withdrawnAt() : c.expiresAt())
                        .truncatedTo(ChronoUnit.SECONDS)
                        .toString());
        provision.put("period", period);
        provision.put(
                "actor",
                c.recipients().stream()
                        .sorted()
                        .map(o -> Map.of(
                                "role", concept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP"),
                                "reference", Map.of("reference", "Organization/" + o)))
                        .toList());
        provision.put(
                "purpose",
                c.purposes().stream()
                        .map(Enum::name)
                        .sorted()
                        .map(p -> Map.of("system", CS + "consent-purpose", "code", p))
                        .toList());
        provision.put(
                "code",
                c.dataCategories().stream()
                        .map(Enum::name)
                        .sorted()
                        .map(d -> concept(CS + "data-category", d))
                        .toList());
        m.put("provision", provision);
        return m;
    }

    static String taskStatus(Referral.Status s) {
        return switch (s) {
            case DRAFT -> "draft";
            case SUBMITTED -> "requested";
            case ACKNOWLEDGED -> "received";
            case ACCEPTED -> "accepted";
            case DECLINED -> "rejected";
            case IN_PROGRESS -> "in-progress";
            case COMPLETED -> "completed";
            case CANCELLED, WITHDRAWN -> "cancelled";
        };
    }

    static String priority(Urgency u) {
        return switch (u) {
            case EMERGENCY -> "stat";
            case URGENT -> "urgent";
            case ROUTINE -> "routine";
        };
    }

    private static Map<String, Object> entry(String base, String type, String id, Map<String, Object> resource) {
        return Map.of("fullUrl", base + type + "/" + id, "resource", resource);
    }

    private static Map<String, Object> organisation(UUID id, String country) {
        return Map.of(
                "reference", "Organization/" + id, "display", "Tandem member organisation (" + country.strip() + ")");
    }

    private static Map<String, Object> concept(String system, String code) {
        return Map.of("coding", List.of(Map.of("system", system, "code", code)));
    }

    private static Map<String, Object> concept(String system, String code, String display) {
        return Map.of("coding", List.of(Map.of("system", system, "code", code, "display", display)), "text", display);
    }

    private static Instant latest(Instant... instants) {
        Instant max = Instant.EPOCH;
        for (Instant i : instants) {
            if (i != null && i.isAfter(max)) {
                max = i;
            }
        }
        return max;
    }
}
