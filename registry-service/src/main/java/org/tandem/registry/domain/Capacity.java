package org.tandem.registry.domain;

import java.time.Instant;

/**
 * Free places now. Capacity is only as good as its freshness, so it always carries the time it was last
 * updated; a caseworker sees both.
 */
public record Capacity(int available, Integer maximum, CapacityUnit unit, Instant updatedAt) {

    public enum CapacityUnit {
        BEDS,
        PLACES,
        CASES
    }

    public Capacity {
        if (available < 0) {
            throw new InvalidProfileException("capacity.available", "must not be negative");
        }
        if (maximum != null && maximum < 0) {
            throw new InvalidProfileException("capacity.maximum", "must not be negative");
        }
        if (maximum != null && available > maximum) {
            throw new InvalidProfileException("capacity.available", "must not exceed capacity.maximum");
        }
        if (unit == null) {
            throw new InvalidProfileException("capacity.unit", "is required");
        }
        if (updatedAt == null) {
            throw new InvalidProfileException("capacity.updatedAt", "is required");
        }
    }

    public boolean hasRoom() {
        return available > 0;
    }
}
