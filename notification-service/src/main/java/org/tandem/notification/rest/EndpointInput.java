package org.tandem.notification.rest;

import java.util.Set;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A webhook endpoint as an org-admin registers it. */
@Schema(name = "WebhookEndpointInput")
public record EndpointInput(
        @NotBlank @Size(max = 2048) String url,
        @NotEmpty @Size(max = 30) Set<@Pattern(regexp = "\\*|[a-z]+(\\.[a-z_]+)+", message = "must be an event type such as referral.submitted, or *") String> eventTypes,
        @Size(max = 200) String description) {
}
