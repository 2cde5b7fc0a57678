package org.tandem.registry.application;

import java.util.List;

/** Result: one page of directory results; {@code nextCursor} (null on the last page) asks for the next one. */
public record DirectoryPage(List<OrganisationDetails> items, String nextCursor) {}
