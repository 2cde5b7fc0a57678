package org.tandem.registry.application;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Command: public keys to publish, as JWK members, with when they become valid ({@code notBefore}, null for now)
 * and when they expire ({@code expiresAt}, optional).
 */
public record NewKeys(List<Map<String, Object>> keys, Instant notBefore, Instant expiresAt) {}
