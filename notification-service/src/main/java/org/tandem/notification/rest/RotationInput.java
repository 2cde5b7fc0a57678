package org.tandem.notification.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A secret rotation. Both fields are optional. */
@Schema(name = "WebhookSecretRotation")
public record RotationInput(
        @Schema(description = "The new secret (whsec_ and base64 of 24 to 64 bytes); left out, Tandem makes one.")
        @Size(max = 100)
        String secret,

        @Schema(
                description =
                        "How long the old secret still signs deliveries, in seconds (0 to 604800; default 86400).")
        @Min(0)
        @Max(604800)
        Long overlapSeconds) {}
