package org.tandem.referral.rest;

import java.net.URI;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.tandem.platform.http.MaxBodySize;
import org.tandem.platform.idempotency.Idempotent;
import org.tandem.platform.ratelimit.RateLimited;
import org.tandem.platform.security.Caller;
import org.tandem.platform.security.Roles;
import org.tandem.referral.service.CaseFileCustody;
import org.tandem.referral.service.DeletionReceipts;

/**
 * A referral's end-to-end encrypted case file (docs/case-files.md). The body of an upload is the compact
 * JWE that the sender's client made with tandem-client; the hub cannot read it.
 */
@RateLimited
@Path("/api/v1/referrals/{id}/case-file")
@RolesAllowed({Roles.CASEWORKER, Roles.INTEGRATION})
@Tag(name = "Case files", description = "End-to-end encrypted case files and deletion receipts")
public class CaseFileResource {

    /** The media type of a compact JWE or JWS (RFC 7515/7516). */
    public static final String JOSE = "application/jose";

    @Inject
    CaseFileCustody caseFiles;

    @Inject
    DeletionReceipts receipts;

    @Inject
    Caller caller;

    @Inject
    JsonWebToken token;

    @POST
    @Idempotent
    @MaxBodySize(property = "tandem.case-files.max-bytes")
    @Consumes({JOSE, MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Upload the encrypted case file (sender)",
            description =
                    "A compact JWE (ECDH-ES+A256KW, A256GCM) to a current encryption key of the receiver, with the referral id and "
                            + "the data categories in its protected header; the consent must cover them. At most 8 MiB. One file per referral.")
    public Response upload(@PathParam("id") UUID id, String jwe) {
        return store(id, jwe);
    }

    /**
     * Both uploads. Not {@code upload} called from {@code uploadJson}: that call would be intercepted again, and
     * the idempotency check would see one Idempotency-Key used for two different requests (the JSON body, then
     * the bare JWE).
     */
    private Response store(UUID id, String jwe) {
        UUID own = caller.requireOrganisation();
        var status = caseFiles.upload(own, id, caller.subject(), jwe);
        return Response.created(URI.create("/api/v1/referrals/" + id + "/case-file"))
                .entity(CaseFileView.of(status))
                .build();
    }

    /** The same upload for JSON clients (the web application): {@code {"jwe": "<compact JWE>"}}. */
    @POST
    @Idempotent
    @MaxBodySize(property = "tandem.case-files.max-bytes", bytes = 64)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Upload the encrypted case file as JSON (sender)",
            description = "As the application/jose upload, with the JWE in the field jwe.")
    public Response uploadJson(@PathParam("id") UUID id, @NotNull @Valid CaseFileBody body) {
        return store(id, body.jwe());
    }

    /** The same release for JSON clients: {@code {"jwe": "<compact JWE>"}}. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Fetch the encrypted case file as JSON (receiver, after acceptance)")
    public Response releaseJson(@PathParam("id") UUID id) {
        UUID own = caller.requireOrganisation();
        return Response.ok(new CaseFileBody(caseFiles.release(own, id)))
                .header("Cache-Control", "no-store")
                .build();
    }

    @GET
    @Produces(JOSE)
    @Operation(
            summary = "Fetch the encrypted case file (receiver, after acceptance)",
            description = "The sender's compact JWE, to decrypt with your private key and verify with tandem-client.")
    public Response release(@PathParam("id") UUID id) {
        UUID own = caller.requireOrganisation();
        return Response.ok(caseFiles.release(own, id), JOSE)
                .header("Cache-Control", "no-store")
                .build();
    }

    @GET
    @Path("/status")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The case file's metadata and deletion receipt (either party)")
    public CaseFileView status(@PathParam("id") UUID id) {
        UUID own = caller.requireOrganisation();
        return CaseFileView.of(caseFiles.status(own, id));
    }

    @POST
    @Path("/deletion-receipt")
    @Idempotent
    @MaxBodySize(bytes = 8192)
    @Consumes({JOSE, MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Confirm the purge of a withdrawn referral's file (receiver)",
            description =
                    "A compact JWS (ES256) by a signature key your organisation published in the registry; see docs/case-files.md.")
    public Response deletionReceipt(@PathParam("id") UUID id, String receipt) {
        UUID own = caller.requireOrganisation();
        var status = receipts.accept(own, id, caller.subject(), receipt, token.getRawToken());
        return Response.status(201).entity(CaseFileView.of(status)).build();
    }
}
