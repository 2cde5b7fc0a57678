package org.tandem.referral.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.tandem.platform.problem.ProblemException;
import org.tandem.platform.ratelimit.RateLimited;
import org.tandem.platform.security.Roles;
import org.tandem.referral.service.ConsentForms;

/** The consent form's texts, by version and language, and a blank printable form. */
@RateLimited
@Path("/api/v1/consent-forms")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.CASEWORKER, Roles.INTEGRATION, Roles.ORG_ADMIN, Roles.COORDINATOR})
@Tag(name = "Consent forms", description = "Versioned, multilingual consent form texts")
public class ConsentFormResource {

    /**
     * For the HTML answers: the page runs no script and loads nothing, so a text that slipped through
     * escaping still could not act.
     */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

    @Inject
    ConsentForms forms;

    @GET
    @Operation(
            summary = "Every version and language of the consent form",
            description = "needsNativeReview marks a translation a native speaker has not reviewed yet.")
    public List<ConsentFormText.Listing> list() {
        return forms.list().stream().map(ConsentFormText.Listing::of).toList();
    }

    @GET
    @Path("/{version}/{language}")
    @Operation(summary = "One consent form's text")
    public ConsentFormText get(@PathParam("version") String version, @PathParam("language") String language) {
        return forms.find(version, language)
                .map(ConsentFormText::of)
                .orElseThrow(() -> ProblemException.notFound("consent form"));
    }

    @GET
    @Path("/{version}/{language}/printable")
    @Produces(MediaType.TEXT_HTML)
    @Operation(
            summary = "A blank consent form to print and sign",
            description = "For a form filled in for one referral, see GET /api/v1/referrals/{id}/consent-form.")
    public Response printable(@PathParam("version") String version, @PathParam("language") String language) {
        return html(forms.blank(version, language));
    }

    /** An HTML page with the headers that keep it inert. */
    static Response html(String page) {
        return Response.ok(page, MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }
}
