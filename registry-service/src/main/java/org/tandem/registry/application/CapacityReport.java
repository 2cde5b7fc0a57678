package org.tandem.registry.application;

import org.tandem.registry.domain.Capacity;

/** Command: the free capacity an org-admin reports now. */
public record CapacityReport(int available, Integer maximum, Capacity.CapacityUnit unit) {}
