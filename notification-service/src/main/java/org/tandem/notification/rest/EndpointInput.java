package org.tandem.notification.rest;

import java.util.Set;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A webhook endpoint as an org-admin (or, for network events, a coordinator) registers it. */
@Schema(name = "WebhookEndpointInput")
public record EndpointInput(
        @NotBlank @Size(max = 2048) String url,

        @NotEmpty @Size(max = 30)
        Set<
                        @Pattern(
                                regexp = "\\*|[a-z]+(\\.[a-z_]+)+",
                                message = "must be an event type such as referral.submitted, or *")
                        String>
                eventTypes,

        @Size(max = 200) String description,

        @Schema(
                description =
                        "Your own signing secret, whsec_ and the base64 of 24 to 64 random bytes. Left out, Tandem makes one.")
        @Size(max = 100)
        String secret,

        @Schema(description = "Also sign with an Ed25519 key pair (v1a signatures); the answer holds the public key.")
        Boolean ed25519,

        @Schema(
                description =
                        "Your technical contact for alerts about this endpoint (dead letters); not a person's private address.")
        @Email
        @Size(max = 254)
        String alertEmail) {}
