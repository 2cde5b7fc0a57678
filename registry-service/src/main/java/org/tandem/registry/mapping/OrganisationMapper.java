package org.tandem.registry.mapping;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;

import org.tandem.events.common.ServiceCode;
import org.tandem.events.registry.KeyUse;
import org.tandem.events.registry.MembershipStatus;
import org.tandem.events.registry.OrganisationSnapshot;
import org.tandem.events.registry.PublicKeyRef;
import org.tandem.registry.application.CapacityReport;
import org.tandem.registry.application.EligibilityTerms;
import org.tandem.registry.application.OpeningHours;
import org.tandem.registry.application.OrganisationDetails;
import org.tandem.registry.application.OrganisationProfile;
import org.tandem.registry.domain.Capacity;
import org.tandem.registry.domain.ContactHours;
import org.tandem.registry.domain.Eligibility;
import org.tandem.registry.domain.Membership;
import org.tandem.registry.domain.PublicKeyPolicy;
import org.tandem.registry.persistence.OrganisationEntity;
import org.tandem.registry.persistence.OrganisationKeyEntity;

/** Converts between the application's commands and results, the domain values, the stored entity and the event snapshot. */
public final class OrganisationMapper {

    private OrganisationMapper() {}

    /** Copies a submitted profile onto the entity, through the domain values so that their rules apply. */
    public static void applyProfile(OrganisationProfile in, OrganisationEntity e, Instant now) {
        var eligibility = new Eligibility(
                in.eligibility().womenOnly(),
                in.eligibility().acceptsMinors(),
                in.eligibility().minAge(),
                in.eligibility().maxAge(),
                in.eligibility().acceptsWomenWithChildren());
        List<ContactHours> hours = in.contactHours() == null
                ? List.of()
                : in.contactHours().stream()
                        .map(h -> new ContactHours(h.dayOfWeek(), h.opens(), h.closes()))
                        .toList();
        e.name = in.name().strip();
        e.description = in.description() == null ? null : in.description().strip();
        e.country = in.country();
        e.region = in.region();
        e.services = in.services().stream().map(Enum::name).sorted().toArray(String[]::new);
        e.languages = in.languages().stream().distinct().toArray(String[]::new);
        e.womenOnly = eligibility.womenOnly();
        e.acceptsMinors = eligibility.acceptsMinors();
        e.minAge = eligibility.minAge();
        e.maxAge = eligibility.maxAge();
        e.acceptsWomenWithChildren = eligibility.acceptsWomenWithChildren();
        e.contactHours = hours.stream()
                .map(h -> new OrganisationEntity.ContactHoursJson(
                        h.dayOfWeek().name(), h.opens().toString(), h.closes().toString()))
                .toList();
        applyCapacity(in.capacity(), e, now);
    }

    public static void applyCapacity(CapacityReport in, OrganisationEntity e, Instant now) {
        var capacity = new Capacity(in.available(), in.maximum(), in.unit(), now);
        boolean changed = e.capacityUpdatedAt == null
                || e.capacityAvailable != capacity.available()
                || !java.util.Objects.equals(e.capacityMaximum, capacity.maximum())
                || !capacity.unit().name().equals(e.capacityUnit);
        e.capacityAvailable = capacity.available();
        e.capacityMaximum = capacity.maximum();
        e.capacityUnit = capacity.unit().name();
        if (changed) {
            e.capacityUpdatedAt = now;
        }
    }

    public static Membership membership(OrganisationEntity e) {
        return Membership.of(Membership.Status.valueOf(e.membershipStatus), e.membershipSince);
    }

    /** The public profile of a stored organisation (never its confidential address). */
    public static OrganisationDetails details(OrganisationEntity e) {
        return new OrganisationDetails(
                e.id,
                e.name,
                e.description,
                e.country,
                e.region,
                Arrays.stream(e.services)
                        .map(org.tandem.registry.domain.ServiceCode::valueOf)
                        .toList(),
                List.of(e.languages),
                new EligibilityTerms(e.womenOnly, e.acceptsMinors, e.minAge, e.maxAge, e.acceptsWomenWithChildren),
                new OrganisationDetails.CapacityState(
                        e.capacityAvailable,
                        e.capacityMaximum,
                        Capacity.CapacityUnit.valueOf(e.capacityUnit),
                        e.capacityUpdatedAt),
                e.contactHours == null
                        ? List.of()
                        : e.contactHours.stream()
                                .map(h -> new OpeningHours(
                                        DayOfWeek.valueOf(h.dayOfWeek()),
                                        LocalTime.parse(h.opens()),
                                        LocalTime.parse(h.closes())))
                                .toList(),
                Membership.Status.valueOf(e.membershipStatus),
                e.version);
    }

    /**
     * The public, non-identifying snapshot every organisation event carries. No name, description or
     * address: events hold only ids, codes, counts and timestamps (docs/design.md §4.1).
     */
    public static OrganisationSnapshot snapshot(OrganisationEntity e, long version, List<OrganisationKeyEntity> keys) {
        return OrganisationSnapshot.newBuilder()
                .setOrganisationId(e.id.toString())
                .setVersion(version)
                .setCountry(e.country)
                .setRegion(e.region)
                .setMembershipStatus(MembershipStatus.valueOf(e.membershipStatus))
                .setServices(Arrays.stream(e.services).map(ServiceCode::valueOf).toList())
                .setLanguages(List.of(e.languages))
                .setWomenOnly(e.womenOnly)
                .setAcceptsMinors(e.acceptsMinors)
                .setAcceptsWomenWithChildren(e.acceptsWomenWithChildren)
                .setMinAge(e.minAge)
                .setMaxAge(e.maxAge)
                .setCapacityAvailable(e.capacityAvailable)
                .setCapacityMaximum(e.capacityMaximum)
                .setCapacityUpdatedAt(coarse(e.capacityUpdatedAt))
                .setKeys(keys.stream().map(OrganisationMapper::keyRef).toList())
                .build();
    }

    /** A key as events name it: kid, use, validity and its RFC 7638 thumbprint; never the key material. */
    public static PublicKeyRef keyRef(OrganisationKeyEntity k) {
        return PublicKeyRef.newBuilder()
                .setKid(k.kid)
                .setUse(KeyUse.valueOf(k.use))
                .setNotBefore(coarse(k.notBefore))
                .setExpiresAt(coarse(k.expiresAt))
                .setThumbprint(PublicKeyPolicy.thumbprint(k.jwk))
                .build();
    }

    /** Event timestamps are coarse: whole seconds. */
    public static Instant coarse(Instant t) {
        return t == null ? null : t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }
}
