package org.tandem.platform.security;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

import org.tandem.platform.problem.ProblemException;

/**
 * Who is calling, from the verified access token only. The organisation is the token's {@code org}
 * claim and never comes from a request body (docs/design.md §2.7).
 */
@RequestScoped
public class Caller {

    public static final String ORGANISATION_CLAIM = "org";

    @Inject
    JsonWebToken token;

    @Inject
    SecurityIdentity identity;

    public boolean isAuthenticated() {
        return !identity.isAnonymous();
    }

    /** Read once per request; see {@link #organisationId}. */
    private Optional<UUID> organisation;

    /**
     * The caller's organisation, or empty for a coordinator, an anonymous call or a malformed claim. Read from the
     * token once per request and kept: the token library looks up a claim outside the standard names by throwing and
     * catching an exception, and a transition asks several times (its idempotency scope, the audit, the resource), #18.
     */
    public Optional<UUID> organisationId() {
        if (organisation == null) {
            organisation = readOrganisation();
        }
        return organisation;
    }

    private Optional<UUID> readOrganisation() {
        if (identity.isAnonymous()) {
            return Optional.empty();
        }
        Object claim = token.getClaim(ORGANISATION_CLAIM);
        if (claim == null) {
            return Optional.empty();
        }
        String value = claim.toString();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1); // a JsonString's toString keeps its quotes
        }
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The caller's organisation; a 403 problem when the token carries none. */
    public UUID requireOrganisation() {
        return organisationId()
                .orElseThrow(() -> ProblemException.forbidden(
                        "Your account does not belong to an organisation of the network, so it cannot do this."));
    }

    /** An opaque id of the user or client (the token's subject), for audit. Never a name. */
    public String subject() {
        return identity.isAnonymous() ? "anonymous" : token.getSubject();
    }

    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }

    public boolean isCoordinator() {
        return hasRole(Roles.COORDINATOR);
    }

    /** Caseworkers and integration clients act on referrals for their organisation. */
    public boolean actsOnReferrals() {
        return hasRole(Roles.CASEWORKER) || hasRole(Roles.INTEGRATION);
    }
}
