package org.tandem.referral.rest;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.tandem.platform.codes.IsoCodes;
import org.tandem.platform.ratelimit.RateLimited;
import org.tandem.platform.security.Roles;

/**
 * The ISO 639-3 languages that a referral's summary and consent accept, by code or English name, so that a
 * caseworker picks "Nigerian Pidgin (pcm)" from a list instead of typing a code (the web application's
 * language picker, docs/web.md). Read-only: the same list the {@code @Iso639Language} check uses.
 */
@RateLimited
@Path("/api/v1/languages")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.CASEWORKER, Roles.INTEGRATION, Roles.ORG_ADMIN, Roles.COORDINATOR})
@Tag(name = "Languages", description = "The ISO 639-3 languages Tandem accepts")
public class LanguageResource {

    /** One ISO 639-3 language. */
    @Schema(name = "Language")
    public record Language(
            @Schema(required = true) String code,
            @Schema(required = true) String name) {}

    @GET
    @Operation(
            summary = "Languages whose code or English name matches",
            description =
                    "The exact code first, then names that begin with the text, then names that contain it; at most `limit`.")
    public List<Language> search(
            @QueryParam("q") @NotBlank @Size(max = 60) String q,
            @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(50) int limit) {
        String text = q.strip().toLowerCase(Locale.ROOT);
        Comparator<Language> order = Comparator.<Language>comparingInt(l -> rank(l, text))
                .thenComparing(Language::name)
                .thenComparing(Language::code);
        return IsoCodes.languages().entrySet().stream()
                .map(e -> new Language(e.getKey(), e.getValue()))
                .filter(l -> rank(l, text) < 3)
                .sorted(order)
                .limit(limit)
                .toList();
    }

    /** 0 the code itself, 1 a name that begins with the text, 2 a name that contains it, 3 no match. */
    private static int rank(Language l, String text) {
        String name = l.name().toLowerCase(Locale.ROOT);
        if (l.code().equals(text)) {
            return 0;
        }
        if (name.startsWith(text)) {
            return 1;
        }
        return name.contains(text) ? 2 : 3;
    }
}
