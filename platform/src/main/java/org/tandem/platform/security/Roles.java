package org.tandem.platform.security;

/** The realm roles of docs/design.md §1.7, as they appear in the token's {@code realm_access.roles}. */
public final class Roles {
    public static final String CASEWORKER = "caseworker";
    public static final String ORG_ADMIN = "org-admin";
    public static final String COORDINATOR = "coordinator";
    /** A partner's machine client; acts for its organisation like a caseworker. */
    public static final String INTEGRATION = "integration";

    private Roles() {}
}
