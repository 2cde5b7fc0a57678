package org.tandem.platform.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.tandem.platform.ratelimit.RateLimited;
import org.tandem.platform.security.Caller;
import org.tandem.platform.security.Roles;

/** Every service's audit log: an org-admin reads her organisation's entries; a coordinator checks the chain. */
@RateLimited
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit", description = "The append-only, hash-chained audit log of this service")
public class AuditResource {

    @Inject
    AuditLog audit;

    @Inject
    Caller caller;

    @GET
    @RolesAllowed(Roles.ORG_ADMIN)
    @Operation(
            summary = "Your organisation's audit entries, newest first",
            description = "Pass the last seq you saw as 'before' for older entries.")
    public List<AuditEntry> entries(
            @QueryParam("before") @Min(1) Long before,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return audit.forOrganisation(caller.requireOrganisation(), before, limit);
    }

    @Inject
    AuditAnchoring anchoring;

    @GET
    @Path("/verification")
    @RolesAllowed({Roles.COORDINATOR, Roles.ORG_ADMIN})
    @Operation(
            summary =
                    "Recompute the hash chain, check it against the last published anchor and report the first entry that does not hold")
    public AuditLog.Verification verify() {
        return audit.verify(anchoring.lastAnchor().map(AnchorKey.Anchor::head).orElse(null));
    }

    @GET
    @Path("/anchors")
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(
            summary = "The coordinator's view of this service's audit anchors",
            description =
                    "The last anchor published on tandem.audit-anchors.v1 (signature checked), the public key that checks it, "
                            + "the last scheduled verification of this instance, and the anchors recorded here, newest first.")
    public Map<String, Object> anchors(@QueryParam("limit") @DefaultValue("24") @Min(1) @Max(200) int limit) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("service", anchoring.service());
        view.put("kid", anchoring.key().kid());
        view.put("publicKey", anchoring.key().publicJwk());
        view.put(
                "published",
                anchoring
                        .lastAnchor()
                        .map(a -> Map.of(
                                "seq",
                                a.seq(),
                                "hash",
                                a.hash(),
                                "signedAt",
                                a.signedAt().toString(),
                                "jws",
                                a.jws()))
                        .orElse(null));
        view.put("lastVerification", anchoring.lastVerification().orElse(null));
        view.put("recorded", anchoring.recordedAnchors(limit));
        return view;
    }
}
