package org.tandem.notification.application;

/** An endpoint and its signing secret in plaintext, for the one answer that shows it. */
public record EndpointWithSecret(Endpoint endpoint, String secret) {}
