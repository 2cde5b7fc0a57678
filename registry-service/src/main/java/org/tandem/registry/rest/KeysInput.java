package org.tandem.registry.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * New public keys to publish, shaped like a JWK Set ({@code keys}), with when they become valid
 * ({@code notBefore}, default now) and when they expire ({@code expiresAt}, optional).
 */
@Schema(name = "NewKeys")
public record KeysInput(
        @NotEmpty @Size(max = 4) List<@NotNull @Size(max = 20) Map<String, Object>> keys,
        Instant notBefore,
        Instant expiresAt) {}
