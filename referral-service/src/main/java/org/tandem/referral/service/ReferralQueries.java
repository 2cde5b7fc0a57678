package org.tandem.referral.service;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.tandem.platform.audit.AuditLog;
import org.tandem.referral.application.ListReferrals;
import org.tandem.referral.application.ReferralDetails;
import org.tandem.referral.application.TimelineEntry;
import org.tandem.referral.mapping.ReferralMapper;
import org.tandem.referral.persistence.HistoryEntry;
import org.tandem.referral.persistence.ReferralEntity;

/** What a party reads of its referrals: one referral, its box of referrals, a referral's timeline. Every read is audited. */
@ApplicationScoped
public class ReferralQueries {

    @Inject
    AuditLog audit;

    @Inject
    PartyGuard parties;

    /** The referral if the caller's organisation is a party to it; the same 404 otherwise (docs/security.md). */
    @Transactional
    public ReferralDetails read(UUID caller, UUID id) {
        ReferralEntity e = parties.party(caller, id);
        audit.allowed("referral.read", "referral", e.id, e.senderOrg, e.receiverOrg);
        return new ReferralDetails(ReferralMapper.toDomain(e), e.version);
    }

    @Transactional
    public List<ReferralDetails> list(UUID caller, ListReferrals query) {
        boolean sent = query.box() == ListReferrals.Box.SENT;
        List<ReferralEntity> rows =
                sent ? ReferralEntity.sentBy(caller, query.limit()) : ReferralEntity.receivedBy(caller, query.limit());
        audit.allowed(sent ? "referral.list-sent" : "referral.list-received", "referral", null, caller);
        return rows.stream()
                .map(e -> new ReferralDetails(ReferralMapper.toDomain(e), e.version))
                .toList();
    }

    /** The steps of a referral, oldest first, for either party. */
    @Transactional
    public List<TimelineEntry> timeline(UUID caller, UUID id) {
        ReferralEntity e = parties.party(caller, id);
        audit.allowed("referral.timeline-read", "referral", e.id, e.senderOrg, e.receiverOrg);
        return HistoryEntry.of(id).stream()
                .map(h -> new TimelineEntry(
                        h.at,
                        h.step,
                        h.status,
                        h.actorOrg == null ? "HUB" : h.actorOrg.equals(e.senderOrg) ? "SENDER" : "RECEIVER",
                        h.code,
                        h.linkedReferral))
                .toList();
    }
}
