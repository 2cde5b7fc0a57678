package org.tandem.registry.rest;

import java.util.List;

/** One page of directory results; pass {@code nextCursor} back as {@code cursor} for the next page. */
public record OrganisationPage(List<OrganisationView> items, String nextCursor) {}
