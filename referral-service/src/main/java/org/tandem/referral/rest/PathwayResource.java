package org.tandem.referral.rest;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.tandem.platform.ratelimit.RateLimited;
import org.tandem.platform.security.Caller;
import org.tandem.platform.security.Roles;
import org.tandem.referral.service.PathwayQueries;

/** A survivor's pathway, for the organisations on it (docs/referrals.md, "Pathways and stages"). */
@RateLimited
@Path("/api/v1/pathways")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.CASEWORKER, Roles.INTEGRATION})
@Tag(name = "Pathways", description = "The referrals of one survivor's pathway across organisations")
public class PathwayResource {

    @Inject
    PathwayQueries queries;

    @Inject
    Caller caller;

    @GET
    @Path("/{id}")
    @Operation(
            summary = "A pathway's timeline",
            description = "For an organisation that is or was a party to one of its referrals while her consent covers"
                    + " it: each referral's organisations, countries, stage, status and dates. Anyone else gets 404.")
    public PathwayView get(@PathParam("id") UUID id) {
        return PathwayView.of(queries.timeline(caller.requireOrganisation(), id));
    }
}
