package org.tandem.registry.application;

import java.util.Optional;
import java.util.UUID;

/**
 * Who reads an organisation: her own organisation (if any) and whether she is a coordinator. Approved
 * organisations are visible to every member; others only to themselves and to coordinators.
 */
public record Viewer(Optional<UUID> organisationId, boolean coordinator) {

    public boolean isOf(UUID organisation) {
        return organisationId.map(organisation::equals).orElse(false);
    }
}
