package org.tandem.registry.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.tandem.platform.ratelimit.RateLimited;
import org.tandem.platform.security.Roles;
import org.tandem.registry.application.DirectoryQuery;
import org.tandem.registry.service.DirectorySearch;
import org.tandem.registry.service.OrganisationService;

@RateLimited
@Path("/api/v1/hsds")
@Produces(MediaType.APPLICATION_JSON)
@Tag(
        name = "HSDS export",
        description = "The public directory as Open Referral HSDS 3.0 service records (never the confidential address)")
public class HsdsExportResource {

    @Inject
    DirectorySearch search;

    @Inject
    OrganisationService organisations;

    @GET
    @Path("/services")
    @RolesAllowed({Roles.CASEWORKER, Roles.ORG_ADMIN, Roles.COORDINATOR, Roles.INTEGRATION})
    @Operation(
            summary = "Export the approved organisations' services as HSDS 3.0 service records",
            description =
                    "Paged by organisation: `limit` organisations (at most 100) per page, each with one record per service; "
                            + "pass `nextCursor` back as `cursor`.")
    public Map<String, Object> services(
            @QueryParam("cursor") @Size(max = 512) String cursor,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        OrganisationPage page = ApiMapping.page(search.search(DirectoryQuery.all(), cursor, limit));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(
                "contents",
                page.items().stream()
                        .flatMap(o -> HsdsMapper.services(o).stream())
                        .toList());
        out.put("nextCursor", page.nextCursor());
        return out;
    }

    @GET
    @Path("/organizations/{id}/services")
    @RolesAllowed({Roles.CASEWORKER, Roles.ORG_ADMIN, Roles.COORDINATOR, Roles.INTEGRATION})
    @Operation(summary = "One approved organisation's services as HSDS 3.0 service records")
    public List<Map<String, Object>> organisationServices(@PathParam("id") UUID id) {
        return HsdsMapper.services(ApiMapping.view(organisations.approved(id)));
    }
}
