package org.tandem.notification.alert;

import java.util.UUID;

/** Fired in the transaction that stored an alert; observed after commit (live feed, e-mail). */
public record AlertRaised(long seq, UUID id, AlertKind kind, UUID audienceOrganisationId, String payload) {}
