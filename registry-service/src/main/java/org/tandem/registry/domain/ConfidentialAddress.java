package org.tandem.registry.domain;

/**
 * Where the organisation is. A shelter's address can put women in danger, so it is never shown in the
 * directory and is revealed only to an organisation whose referral this one has accepted.
 */
public record ConfidentialAddress(String street, String postalCode, String locality, String country) {}
