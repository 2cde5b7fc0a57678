package org.tandem.referral.application;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import org.tandem.referral.domain.Consent;

/**
 * The survivor's consent as a caseworker records it, not yet checked by the domain (its {@code Consent} does
 * that). No recipients means the referral's receiver.
 */
public record GivenConsent(
        Set<UUID> recipients,
        Set<Consent.Purpose> purposes,
        Set<Consent.DataCategory> dataCategories,
        Instant givenAt,
        Instant expiresAt,
        String formLanguage,
        String formVersion,
        boolean interpreterPresent,
        Consent.Method method) {}
