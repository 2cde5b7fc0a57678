package org.tandem.notification.application;

import java.util.Set;

/** A command: register a webhook endpoint for the caller's organisation (or, a coordinator's, for the network). */
public record RegisterEndpoint(
        String url, Set<String> eventTypes, String description, String secret, boolean ed25519, String alertEmail) {}
