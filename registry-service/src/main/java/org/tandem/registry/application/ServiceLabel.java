package org.tandem.registry.application;

/** Result: one code of the service taxonomy; {@code label} is in the asked language where there is one, else English. */
public record ServiceLabel(String code, String label, String language, String englishLabel) {}
