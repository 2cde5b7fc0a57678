package org.tandem.platform.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One line of the audit log. It says who did what to which resource, when (UTC) and with which outcome,
 * and which organisations the action concerns. It never holds the data itself.
 */
public record AuditEntry(
        long seq,
        Instant at,
        String actorSubject,
        UUID actorOrganisation,
        String action,
        String resourceType,
        String resourceId,
        List<UUID> concernedOrganisations,
        Outcome outcome,
        String prevHash,
        String hash) {

    public enum Outcome {
        ALLOWED,
        DENIED
    }
}
