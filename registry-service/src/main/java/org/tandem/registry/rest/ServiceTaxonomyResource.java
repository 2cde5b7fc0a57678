package org.tandem.registry.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.tandem.platform.codes.Iso639Language;
import org.tandem.platform.ratelimit.RateLimited;
import org.tandem.platform.security.Roles;
import org.tandem.registry.service.ServiceTaxonomy;

@RateLimited
@Path("/api/v1/services")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Service taxonomy", description = "The stable codes of the services organisations offer, with labels")
public class ServiceTaxonomyResource {

    /** One code of the taxonomy; {@code label} is in the asked language where there is one, else English. */
    public record ServiceLabel(String code, String label, String language, String englishLabel) {}

    @Inject
    ServiceTaxonomy taxonomy;

    @GET
    @RolesAllowed({Roles.CASEWORKER, Roles.ORG_ADMIN, Roles.COORDINATOR, Roles.INTEGRATION})
    @Operation(
            summary = "List the service codes with their labels",
            description =
                    "`language` is an ISO 639-3 code (default eng). A code without a label in that language falls back to English.")
    public List<ServiceLabel> list(@QueryParam("language") @Iso639Language String language) {
        return taxonomy.labels(language == null ? "eng" : language).stream()
                .map(l -> new ServiceLabel(l.code(), l.label(), l.language(), l.englishLabel()))
                .toList();
    }
}
