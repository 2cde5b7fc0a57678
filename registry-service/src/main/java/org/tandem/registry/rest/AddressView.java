package org.tandem.registry.rest;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An organisation's confidential address, shown only to the organisations allowed to see it. */
@Schema(name = "ConfidentialAddress")
public record AddressView(String street, String postalCode, String locality, String country) {}
