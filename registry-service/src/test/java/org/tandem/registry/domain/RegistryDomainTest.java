package org.tandem.registry.domain;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryDomainTest {

    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

    @Test
    void membership_moves_pending_to_approved_to_suspended_and_back() {
        var approved = new Membership.Pending(NOW).approve(NOW.plusSeconds(60));
        assertThat(approved.status()).isEqualTo(Membership.Status.APPROVED);
        var suspended = approved.suspend(NOW.plusSeconds(120));
        assertThat(suspended.status()).isEqualTo(Membership.Status.SUSPENDED);
        assertThat(suspended.reinstate(NOW.plusSeconds(180)).approvedAt()).isEqualTo(NOW.plusSeconds(180));
        assertThat(Membership.of(Membership.Status.SUSPENDED, NOW)).isInstanceOf(Membership.Suspended.class);
    }

    @Test
    void eligibility_refuses_inverted_or_impossible_age_ranges() {
        assertThatThrownBy(() -> new Eligibility(true, false, 30, 20, true))
                .isInstanceOf(InvalidProfileException.class)
                .extracting("field")
                .isEqualTo("eligibility.maxAge");
        assertThatThrownBy(() -> new Eligibility(true, false, 16, null, true))
                .isInstanceOf(InvalidProfileException.class)
                .extracting("field")
                .isEqualTo("eligibility.minAge");
        var adultsOnly = new Eligibility(true, false, 18, 60, true);
        assertThat(adultsOnly.admitsAge(17)).isFalse();
        assertThat(adultsOnly.admitsAge(35)).isTrue();
        assertThat(adultsOnly.admitsAge(61)).isFalse();
        assertThat(adultsOnly.admitsAge(null)).isTrue();
    }

    @Test
    void capacity_is_never_negative_nor_above_its_maximum_and_always_dated() {
        assertThatThrownBy(() -> new Capacity(-1, 5, Capacity.CapacityUnit.BEDS, NOW))
                .isInstanceOf(InvalidProfileException.class)
                .extracting("field")
                .isEqualTo("capacity.available");
        assertThatThrownBy(() -> new Capacity(6, 5, Capacity.CapacityUnit.BEDS, NOW))
                .isInstanceOf(InvalidProfileException.class);
        assertThatThrownBy(() -> new Capacity(1, 5, Capacity.CapacityUnit.BEDS, null))
                .isInstanceOf(InvalidProfileException.class)
                .extracting("field")
                .isEqualTo("capacity.updatedAt");
        assertThat(new Capacity(0, 5, Capacity.CapacityUnit.BEDS, NOW).hasRoom())
                .isFalse();
    }
}
