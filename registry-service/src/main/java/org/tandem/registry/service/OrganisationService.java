package org.tandem.registry.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.apache.avro.specific.SpecificRecord;

import org.tandem.events.Topics;
import org.tandem.events.registry.OrganisationApproved;
import org.tandem.events.registry.OrganisationCapacityChanged;
import org.tandem.events.registry.OrganisationRegistered;
import org.tandem.events.registry.OrganisationSnapshot;
import org.tandem.events.registry.OrganisationSuspended;
import org.tandem.events.registry.OrganisationUpdated;
import org.tandem.platform.audit.AuditLog;
import org.tandem.platform.http.ETags;
import org.tandem.platform.outbox.Outbox;
import org.tandem.registry.application.CapacityReport;
import org.tandem.registry.application.OrganisationDetails;
import org.tandem.registry.application.OrganisationProfile;
import org.tandem.registry.application.Viewer;
import org.tandem.registry.domain.AlreadyRegisteredException;
import org.tandem.registry.domain.ConfidentialAddress;
import org.tandem.registry.domain.IllegalMembershipTransitionException;
import org.tandem.registry.domain.Membership;
import org.tandem.registry.domain.NotFoundException;
import org.tandem.registry.mapping.OrganisationMapper;
import org.tandem.registry.persistence.ConfidentialAddressEntity;
import org.tandem.registry.persistence.OrganisationEntity;
import org.tandem.registry.persistence.OrganisationKeyEntity;

/**
 * Membership and profiles. Each change and its event are committed together through the outbox; the
 * event goes to the compacted organisations topic keyed by organisation id.
 */
@ApplicationScoped
public class OrganisationService {

    @Inject
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    @Inject
    AuditLog audit;

    /** An org-admin applies for her organisation, whose id comes from her token. */
    @Transactional
    public OrganisationDetails apply(UUID organisationId, OrganisationProfile application) {
        if (OrganisationEntity.findById(organisationId) != null) {
            throw new AlreadyRegisteredException();
        }
        Instant now = clock.instant();
        var e = new OrganisationEntity();
        e.id = organisationId;
        OrganisationMapper.applyProfile(application, e, now);
        var membership = new Membership.Pending(now);
        e.membershipStatus = membership.status().name();
        e.membershipSince = now;
        e.createdAt = now;
        e.updatedAt = now;
        e.persist();
        saveAddress(organisationId, application.confidentialAddress());
        return announce(e, "organisation.apply", now, OrganisationRegistered::new);
    }

    /** The organisation's own org-admin replaces its profile; If-Match guards against lost updates. */
    @Transactional
    public OrganisationDetails update(UUID organisationId, OrganisationProfile application, String ifMatch) {
        OrganisationEntity e = find(organisationId);
        ETags.requireMatch(ifMatch, e.version);
        Instant now = clock.instant();
        OrganisationMapper.applyProfile(application, e, now);
        e.updatedAt = now;
        saveAddress(organisationId, application.confidentialAddress());
        return announce(e, "organisation.profile.update", now, OrganisationUpdated::new);
    }

    /** The organisation's own org-admin reports its free capacity; the update time is now. */
    @Transactional
    public OrganisationDetails updateCapacity(UUID organisationId, CapacityReport capacity, String ifMatch) {
        OrganisationEntity e = find(organisationId);
        ETags.requireMatch(ifMatch, e.version);
        Instant now = clock.instant();
        OrganisationMapper.applyCapacity(capacity, e, now);
        // the time is part of the capacity: a report of the same numbers still says they are fresh
        e.capacityUpdatedAt = now;
        e.updatedAt = now;
        return announce(e, "organisation.capacity.update", now, OrganisationCapacityChanged::new);
    }

    @Transactional
    public OrganisationDetails approve(UUID organisationId, String ifMatch) {
        return transition(
                organisationId,
                ifMatch,
                "approved",
                m -> m instanceof Membership.Pending p ? p.approve(clock.instant()) : null);
    }

    /** Suspension stops new referrals to and from the organisation; its open referrals stay readable to their parties. */
    @Transactional
    public OrganisationDetails suspend(UUID organisationId, String ifMatch) {
        return transition(
                organisationId,
                ifMatch,
                "suspended",
                m -> m instanceof Membership.Approved a ? a.suspend(clock.instant()) : null);
    }

    /** A reinstated organisation is approved again; the event is an approval, which every read model understands. */
    @Transactional
    public OrganisationDetails reinstate(UUID organisationId, String ifMatch) {
        return transition(
                organisationId,
                ifMatch,
                "reinstated",
                m -> m instanceof Membership.Suspended s ? s.reinstate(clock.instant()) : null);
    }

    private OrganisationDetails transition(
            UUID organisationId,
            String ifMatch,
            String verb,
            java.util.function.Function<Membership, Membership> step) {
        OrganisationEntity e = find(organisationId);
        checkIfGiven(ifMatch, e);
        Membership next = step.apply(OrganisationMapper.membership(e));
        if (next == null) {
            throw new IllegalMembershipTransitionException(Membership.Status.valueOf(e.membershipStatus), verb);
        }
        Instant now = clock.instant();
        e.membershipStatus = next.status().name();
        e.membershipSince = now;
        e.updatedAt = now;
        return announce(e, "organisation.membership." + verb, now, membershipEvent(next));
    }

    /**
     * Ends a change of {@code e}: writes it (its version moves on, or the change fails if another transaction changed
     * the organisation first), audits {@code action} and publishes the event that announces it with the snapshot.
     */
    private OrganisationDetails announce(OrganisationEntity e, String action, Instant now, OrganisationEvent event) {
        em.flush();
        audit.allowed(action, "organisation", e.id, e.id);
        publish(e, event.of(eventId(), OrganisationMapper.coarse(now), snapshot(e)));
        return OrganisationMapper.details(e);
    }

    /** One of the organisation events, which all carry an event id, a time and the organisation's snapshot. */
    @FunctionalInterface
    private interface OrganisationEvent {
        SpecificRecord of(String eventId, Instant occurredAt, OrganisationSnapshot organisation);
    }

    /** The event that announces a membership: an approval (a reinstatement's too) or a suspension. */
    private static OrganisationEvent membershipEvent(Membership next) {
        return switch (next) {
            case Membership.Approved a -> OrganisationApproved::new;
            case Membership.Suspended s -> OrganisationSuspended::new;
            case Membership.Pending p -> throw new IllegalStateException("no membership transition leads to pending");
        };
    }

    /** The stored organisation; for the service layer only (entities never leave it). */
    OrganisationEntity find(UUID organisationId) {
        OrganisationEntity e = OrganisationEntity.findById(organisationId);
        if (e == null) {
            throw new NotFoundException("organisation");
        }
        return e;
    }

    /** The public profile of an approved organisation; any other is not found. */
    public OrganisationDetails approved(UUID organisationId) {
        OrganisationEntity e = find(organisationId);
        if (!Membership.Status.APPROVED.name().equals(e.membershipStatus)) {
            throw new NotFoundException("organisation");
        }
        return OrganisationMapper.details(e);
    }

    /**
     * The public profile as {@code viewer} may see it: approved organisations are visible to every member, others
     * only to themselves and to coordinators; to anyone else they do not exist.
     */
    public OrganisationDetails visible(UUID organisationId, Viewer viewer) {
        OrganisationEntity e = OrganisationEntity.findById(organisationId);
        if (e == null) {
            throw new NotFoundException("organisation");
        }
        boolean approved = Membership.Status.APPROVED.name().equals(e.membershipStatus);
        if (!approved && !viewer.isOf(organisationId) && !viewer.coordinator()) {
            throw new NotFoundException("organisation");
        }
        return OrganisationMapper.details(e);
    }

    public List<OrganisationDetails> pending() {
        return OrganisationEntity.<OrganisationEntity>list(
                        "membershipStatus = ?1 order by createdAt", Membership.Status.PENDING.name())
                .stream()
                .map(OrganisationMapper::details)
                .toList();
    }

    private void saveAddress(UUID organisationId, ConfidentialAddress in) {
        ConfidentialAddressEntity address = ConfidentialAddressEntity.findById(organisationId);
        if (in == null) {
            if (address != null) {
                address.delete();
            }
            return;
        }
        if (address == null) {
            address = new ConfidentialAddressEntity();
            address.organisationId = organisationId;
        }
        address.street = in.street();
        address.postalCode = in.postalCode();
        address.locality = in.locality();
        address.country = in.country();
        address.persist();
    }

    /**
     * Publishes an event about a change outside the profile row (keys): the organisation's version goes up,
     * so that read models apply the new snapshot.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void publishSnapshot(
            OrganisationEntity e,
            java.util.function.BiFunction<Instant, org.tandem.events.registry.OrganisationSnapshot, SpecificRecord>
                    event) {
        Instant now = clock.instant();
        e.updatedAt = now;
        em.flush();
        publish(e, event.apply(OrganisationMapper.coarse(now), snapshot(e)));
    }

    /** The event snapshot: the public profile and the keys that are not expired. */
    private OrganisationSnapshot snapshot(OrganisationEntity e) {
        List<OrganisationKeyEntity> keys = OrganisationKeyEntity.list(
                "organisationId = ?1 and (expiresAt is null or expiresAt > ?2) order by notBefore, kid",
                e.id,
                clock.instant());
        return OrganisationMapper.snapshot(e, e.version, keys);
    }

    private void publish(OrganisationEntity e, SpecificRecord event) {
        outbox.append(Topics.ORGANISATIONS, e.id.toString(), event);
    }

    private static void checkIfGiven(String ifMatch, OrganisationEntity e) {
        if (ifMatch != null) {
            ETags.requireMatch(ifMatch, e.version);
        }
    }

    private static String eventId() {
        return UUID.randomUUID().toString();
    }
}
