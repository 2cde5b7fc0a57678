package org.tandem.referral.rest;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** A case file in JSON: the compact JWE, for clients that speak JSON only (the web application). */
public record CaseFileBody(
        @NotNull @Size(min = 1, max = 8 * 1024 * 1024) String jwe) {}
