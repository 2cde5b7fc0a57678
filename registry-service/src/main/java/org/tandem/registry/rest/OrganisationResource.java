package org.tandem.registry.rest;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
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

import org.tandem.platform.codes.Iso3166Country;
import org.tandem.platform.codes.Iso639Language;
import org.tandem.platform.http.ETags;
import org.tandem.platform.idempotency.Idempotent;
import org.tandem.platform.ratelimit.RateLimited;
import org.tandem.platform.security.Caller;
import org.tandem.platform.security.Roles;
import org.tandem.registry.application.DirectoryQuery;
import org.tandem.registry.application.OrganisationDetails;
import org.tandem.registry.application.Viewer;
import org.tandem.registry.domain.NotFoundException;
import org.tandem.registry.domain.ServiceCode;
import org.tandem.registry.service.ConfidentialAddresses;
import org.tandem.registry.service.DirectorySearch;
import org.tandem.registry.service.OrganisationKeys;
import org.tandem.registry.service.OrganisationService;

@RateLimited
@Path("/api/v1/organisations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Organisations", description = "The directory of partner organisations and their membership")
public class OrganisationResource {

    @Inject
    OrganisationService organisations;

    @Inject
    DirectorySearch search;

    @Inject
    ConfidentialAddresses addresses;

    @Inject
    OrganisationKeys keys;

    @Inject
    Caller caller;

    @POST
    @Idempotent
    @RolesAllowed(Roles.ORG_ADMIN)
    @Operation(
            summary = "Apply for membership",
            description = "Registers the profile of the caller's own organisation (from her token). "
                    + "It stays pending, and invisible to others, until a coordinator approves it.")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response apply(@NotNull @Valid OrganisationApplication application) {
        UUID own = caller.requireOrganisation();
        OrganisationDetails d = organisations.apply(own, ApiMapping.profile(application));
        return Response.created(URI.create("/api/v1/organisations/" + d.id()))
                .tag(ETags.tag(d.version()))
                .entity(ApiMapping.view(d))
                .build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.CASEWORKER, Roles.ORG_ADMIN, Roles.COORDINATOR, Roles.INTEGRATION})
    @Operation(summary = "Read an organisation's public profile")
    public Response get(@PathParam("id") UUID id) {
        return ok(organisations.visible(id, viewer()));
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ORG_ADMIN)
    @Operation(summary = "Update your organisation's profile", description = "Needs If-Match with the current ETag.")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(
            @PathParam("id") UUID id,
            @HeaderParam("If-Match") String ifMatch,
            @NotNull @Valid OrganisationApplication application) {
        requireOwn(id);
        return ok(organisations.update(id, ApiMapping.profile(application), ifMatch));
    }

    @POST
    @Path("/{id}/approval")
    @Idempotent
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(summary = "Approve a pending organisation's membership")
    public Response approve(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        return ok(organisations.approve(id, ifMatch));
    }

    @POST
    @Path("/{id}/suspension")
    @Idempotent
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(
            summary = "Suspend an approved organisation",
            description = "It stops receiving referrals; its open referrals stay readable to their parties.")
    public Response suspend(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        return ok(organisations.suspend(id, ifMatch));
    }

    @POST
    @Path("/{id}/reinstatement")
    @Idempotent
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(summary = "Reinstate a suspended organisation", description = "It can be found and referred to again.")
    public Response reinstate(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch) {
        return ok(organisations.reinstate(id, ifMatch));
    }

    @GET
    @RolesAllowed({Roles.CASEWORKER, Roles.ORG_ADMIN, Roles.COORDINATOR, Roles.INTEGRATION})
    @Operation(
            summary = "Search the directory of approved organisations",
            description =
                    "Every filter is optional and they all apply together; `service` may repeat and all named services "
                            + "must be offered. `q` searches name and description. Sorted by relevance to `q`, then by the freshest "
                            + "capacity. Pass `nextCursor` back as `cursor` for the next page; `limit` is at most 100.")
    public OrganisationPage search(
            @QueryParam("country") @Iso3166Country String country,
            @QueryParam("region")
                    @Pattern(regexp = "[A-Z]{2}-[A-Z0-9]{1,3}", message = "must be an ISO 3166-2 code such as DE-RP")
                    String region,
            @QueryParam("service") @Size(max = 13) List<ServiceCode> services,
            @QueryParam("language") @Iso639Language String language,
            @QueryParam("womenOnly") Boolean womenOnly,
            @QueryParam("acceptsMinors") Boolean acceptsMinors,
            @QueryParam("withChildren") Boolean withChildren,
            @QueryParam("age") @Min(0) @Max(120) Integer age,
            @QueryParam("hasCapacity") Boolean hasCapacity,
            @QueryParam("q") @Size(max = 200) String text,
            @QueryParam("cursor") @Size(max = 512) String cursor,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        return ApiMapping.page(search.search(
                new DirectoryQuery(
                        country,
                        region,
                        services,
                        language,
                        womenOnly,
                        acceptsMinors,
                        withChildren,
                        age,
                        hasCapacity,
                        text),
                cursor,
                limit));
    }

    @PUT
    @Path("/{id}/capacity")
    @RolesAllowed(Roles.ORG_ADMIN)
    @Operation(
            summary = "Report your organisation's free capacity now",
            description = "Needs If-Match with the current ETag. The capacity's update time is set to now.")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response updateCapacity(
            @PathParam("id") UUID id,
            @HeaderParam("If-Match") String ifMatch,
            @NotNull @Valid OrganisationApplication.CapacityInput capacity) {
        requireOwn(id);
        return ok(organisations.updateCapacity(id, ApiMapping.capacity(capacity), ifMatch));
    }

    @GET
    @Path("/{id}/confidential-address")
    @RolesAllowed({Roles.CASEWORKER, Roles.ORG_ADMIN, Roles.INTEGRATION})
    @Operation(
            summary = "Read an organisation's confidential address",
            description = "Only for the organisation itself and for organisations whose referral it has accepted. "
                    + "Everyone else, coordinators included, gets 404. Every read and every refusal is audited.")
    public AddressView confidentialAddress(@PathParam("id") UUID id) {
        return ApiMapping.address(addresses.read(caller.requireOrganisation(), id));
    }

    @GET
    @Path("/{id}/keys")
    @RolesAllowed({Roles.CASEWORKER, Roles.ORG_ADMIN, Roles.COORDINATOR, Roles.INTEGRATION})
    @Operation(
            summary = "Read an organisation's current public keys",
            description =
                    "A JWK Set (RFC 7517) of the keys valid now, newest first: EC P-256, `use` enc (ECDH-ES+A256KW) "
                            + "or sig (ES256), each with `nbf` and, once it is being rotated out, `exp` (seconds since the epoch). "
                            + "During a rotation the old and the new key of a use are both listed.")
    public Map<String, Object> keys(@PathParam("id") UUID id) {
        organisations.visible(id, viewer());
        return keys.current(id).toJSONObject(true);
    }

    @POST
    @Path("/{id}/keys")
    @Idempotent
    @RolesAllowed(Roles.ORG_ADMIN)
    @Operation(
            summary = "Publish new public keys of your organisation (rotation)",
            description =
                    "Body: `keys` (1 to 4 public JWKs, EC P-256, `use` enc or sig, a `kid` never used before; without one "
                            + "the RFC 7638 thumbprint is used), optional `notBefore` (default now) and `expiresAt`. The older keys "
                            + "of the same use stay valid for an overlap (14 days by default) after `notBefore`, then expire. "
                            + "Answers with the current JWK Set. Every publication is audited (a refused one as denied), and the "
                            + "organisation's own webhook endpoints and alert addresses are told at once (organisation.keys_published).")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response publishKeys(@PathParam("id") UUID id, @NotNull @Valid KeysInput input) {
        if (!caller.organisationId().map(id::equals).orElse(false)) {
            throw keys.refuse(id, caller.organisationId().orElse(null));
        }
        return Response.status(Response.Status.CREATED)
                .entity(keys.publish(id, ApiMapping.keys(input)).toJSONObject(true))
                .build();
    }

    @GET
    @Path("/pending")
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(summary = "Organisations waiting for approval")
    public List<OrganisationView> pending() {
        return ApiMapping.views(organisations.pending());
    }

    private Viewer viewer() {
        return new Viewer(caller.organisationId(), caller.isCoordinator());
    }

    private static Response ok(OrganisationDetails d) {
        return Response.ok(ApiMapping.view(d)).tag(ETags.tag(d.version())).build();
    }

    private void requireOwn(UUID id) {
        if (!caller.organisationId().map(id::equals).orElse(false)) {
            throw new NotFoundException("organisation");
        }
    }
}
