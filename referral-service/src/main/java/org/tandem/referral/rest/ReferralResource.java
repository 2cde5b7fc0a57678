package org.tandem.referral.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.tandem.platform.http.ETags;
import org.tandem.platform.idempotency.Idempotent;
import org.tandem.platform.ratelimit.RateLimited;
import org.tandem.platform.security.Caller;
import org.tandem.platform.security.Roles;
import org.tandem.referral.application.ListReferrals;
import org.tandem.referral.application.ReferralDetails;
import org.tandem.referral.service.ReferralCommands;
import org.tandem.referral.service.ReferralExports;
import org.tandem.referral.service.ReferralQueries;

/**
 * Referrals for the caseworkers and integrations of the two organisations involved. Every state change
 * takes an optional If-Match (the referral's ETag) and an optional Idempotency-Key.
 */
@RateLimited
@Path("/api/v1/referrals")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.CASEWORKER, Roles.INTEGRATION})
@Tag(name = "Referrals", description = "Referrals between two partner organisations")
public class ReferralResource {

    @Inject
    ReferralCommands commands;

    @Inject
    ReferralQueries queries;

    @Inject
    ReferralExports exports;

    @Inject
    Caller caller;

    @POST
    @Idempotent
    @Operation(
            summary = "Create a referral (draft)",
            description = "Sender is your organisation. Include the consent, or record it before submitting.")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@NotNull @Valid NewReferral referral) {
        return created(own -> commands.create(own, caller.subject(), ReferralInputs.create(referral)));
    }

    @GET
    @Operation(
            summary = "Your organisation's referrals",
            description = "box=sent or box=received, newest change first.")
    public List<ReferralView> list(
            @QueryParam("box")
                    @DefaultValue("received")
                    @Pattern(regexp = "sent|received", message = "must be sent or received")
                    String box,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        UUID own = caller.requireOrganisation();
        var query = new ListReferrals("sent".equals(box) ? ListReferrals.Box.SENT : ListReferrals.Box.RECEIVED, limit);
        return queries.list(own, query).stream()
                .map(l -> ReferralViews.forParty(l.referral(), own, l.version()))
                .toList();
    }

    @GET
    @Path("/{id}")
    @Operation(
            summary = "Read a referral",
            description = "The receiver sees the summary only. Unknown and foreign ids both answer 404.")
    public Response get(@PathParam("id") UUID id) {
        return ok(own -> queries.read(own, id));
    }

    @PUT
    @Path("/{id}/consent")
    @Operation(summary = "Record the survivor's consent on a draft")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response consent(
            @PathParam("id") UUID id,
            @HeaderParam("If-Match") String ifMatch,
            @NotNull @Valid NewReferral.ConsentInput consent) {
        return ok(own -> commands.recordConsent(own, id, ReferralInputs.consent(consent), caller.subject(), ifMatch));
    }

    @POST
    @Path("/{id}/submission")
    @Idempotent
    @Operation(
            summary = "Submit a draft to the receiving organisation",
            description = "Needs valid consent that names the receiver.")
    public Response submit(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        return ok(own -> commands.submit(own, id, ifMatch));
    }

    @POST
    @Path("/{id}/acknowledgement")
    @Idempotent
    @Operation(summary = "Acknowledge a received referral")
    public Response acknowledge(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        return ok(own -> commands.acknowledge(own, id, ifMatch));
    }

    @POST
    @Path("/{id}/acceptance")
    @Idempotent
    @Operation(summary = "Accept an acknowledged referral")
    public Response accept(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        return ok(own -> commands.accept(own, id, ifMatch));
    }

    @POST
    @Path("/{id}/decline")
    @Idempotent
    @Operation(summary = "Decline an acknowledged referral, with a reason code")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response decline(
            @PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch, @NotNull @Valid DeclineInput decline) {
        return ok(own -> commands.decline(own, id, ReferralInputs.decline(decline), ifMatch));
    }

    @POST
    @Path("/{id}/cancellation")
    @Idempotent
    @Operation(summary = "Cancel your referral before it is accepted")
    public Response cancel(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        return ok(own -> commands.cancel(own, id, ifMatch));
    }

    @POST
    @Path("/{id}/start")
    @Idempotent
    @Operation(summary = "Record that work with the survivor has started on an accepted referral")
    public Response start(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        return ok(own -> commands.start(own, id, ifMatch));
    }

    @POST
    @Path("/{id}/completion")
    @Idempotent
    @Operation(
            summary = "Close a referral in progress with an outcome code",
            description = "The sender sees the outcome and the optional note; events carry the code only.")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response complete(
            @PathParam("id") UUID id,
            @HeaderParam("If-Match") String ifMatch,
            @NotNull @Valid CompleteInput completion) {
        return ok(own -> commands.complete(own, id, ReferralInputs.complete(completion), ifMatch));
    }

    @POST
    @Path("/{id}/withdrawal")
    @Idempotent
    @Operation(
            summary = "Record that the survivor withdrew her consent",
            description =
                    "Either organisation can record it, in any state. The referral becomes WITHDRAWN and her file is purged.")
    public Response withdraw(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        return ok(own -> commands.withdraw(own, id, ifMatch));
    }

    @POST
    @Path("/{id}/redirection")
    @Idempotent
    @Operation(
            summary = "Redirect a declined referral to another organisation",
            description = "Creates a new draft linked to the declined one, with the same summary. Submit it as usual.")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response redirect(@PathParam("id") UUID id, @NotNull @Valid RedirectInput redirect) {
        return created(own -> commands.redirect(own, id, ReferralInputs.redirect(redirect), caller.subject()));
    }

    @POST
    @Path("/{id}/onward-referral")
    @Idempotent
    @Operation(
            summary = "Refer her onward from an accepted referral your organisation received",
            description =
                    "Creates a new draft from your organisation to the next one, in the same pathway and linked to this"
                            + " referral, with its own stage. The summary is carried over unless given. Submit it as usual."
                            + " Refused (422 consent-required, field onwardFrom) once her consent on this referral has"
                            + " expired or been withdrawn.")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response onward(@PathParam("id") UUID id, @NotNull @Valid OnwardInput onward) {
        return created(own -> commands.onward(own, id, ReferralInputs.onward(onward), caller.subject()));
    }

    @PUT
    @Path("/{id}/return-risk-assessment")
    @Operation(
            summary = "Record the return risk assessment on a draft for RETURN_AND_REINTEGRATION",
            description = "Codes and a date only. A return referral cannot be submitted without it.")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response returnRiskAssessment(
            @PathParam("id") UUID id,
            @HeaderParam("If-Match") String ifMatch,
            @NotNull @Valid ReturnRiskAssessmentInput assessment) {
        return ok(own -> commands.recordReturnAssessment(own, id, assessment.toDomain(), ifMatch));
    }

    @GET
    @Path("/{id}/consent-form")
    @Produces(MediaType.TEXT_HTML)
    @Operation(
            summary = "The consent form for this referral, printable, in the survivor's language",
            description =
                    "For the sender. language: ISO 639-3 (default: the recorded consent's, else eng); version: default the current one.")
    public Response consentForm(
            @PathParam("id") UUID id,
            @QueryParam("language") @Pattern(regexp = "[a-z]{3}", message = "must be an ISO 639-3 code")
                    String language,
            @QueryParam("version")
                    @Pattern(regexp = "[A-Za-z0-9._-]{1,32}", message = "must be a version label such as 2026-1")
                    String version) {
        return ConsentFormResource.html(exports.consentForm(caller.requireOrganisation(), id, language, version));
    }

    @GET
    @Path("/{id}/fhir")
    @Produces({"application/fhir+json", MediaType.APPLICATION_JSON})
    @Operation(
            summary = "The referral as FHIR R4 (read-only)",
            description =
                    "A Bundle of a Task (status, priority, requester, owner, outcome), the ServiceRequest (requested services) and, for the sender, the Consent.")
    public java.util.Map<String, Object> fhir(
            @PathParam("id") UUID id, @jakarta.ws.rs.core.Context jakarta.ws.rs.core.UriInfo uri) {
        String base = uri.getBaseUriBuilder()
                        .path("api/v1/referrals")
                        .path(id.toString())
                        .path("fhir")
                        .build() + "/";
        return exports.fhir(caller.requireOrganisation(), id, base);
    }

    @GET
    @Path("/{id}/timeline")
    @Operation(
            summary = "What happened to a referral, when and by which side",
            description = "Codes only, never notes.")
    public List<TimelineStep> timeline(@PathParam("id") UUID id) {
        return queries.timeline(caller.requireOrganisation(), id).stream()
                .map(TimelineStep::of)
                .toList();
    }

    /** Runs a command for the caller's organisation; 201 with the referral it made. */
    private Response created(Function<UUID, ReferralDetails> command) {
        UUID own = caller.requireOrganisation();
        return created(command.apply(own), own);
    }

    /** Runs a command or query for the caller's organisation; 200 with the referral as it now is. */
    private Response ok(Function<UUID, ReferralDetails> command) {
        UUID own = caller.requireOrganisation();
        return ok(command.apply(own), own);
    }

    /** 201 with the new referral, its location and its ETag. */
    private static Response created(ReferralDetails loaded, UUID own) {
        return Response.created(
                        URI.create("/api/v1/referrals/" + loaded.referral().id()))
                .tag(ETags.tag(loaded.version()))
                .entity(ReferralViews.forParty(loaded.referral(), own, loaded.version()))
                .build();
    }

    private static Response ok(ReferralDetails loaded, UUID own) {
        return Response.ok(ReferralViews.forParty(loaded.referral(), own, loaded.version()))
                .tag(ETags.tag(loaded.version()))
                .build();
    }
}
