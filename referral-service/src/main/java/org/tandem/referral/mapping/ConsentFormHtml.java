package org.tandem.referral.mapping;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.tandem.referral.application.ConsentForm;
import org.tandem.referral.domain.Consent;

/**
 * A consent form as a self-contained, printable HTML page in the survivor's language, with boxes to tick
 * and lines to sign. Every text from the data files is HTML-escaped; the page has no script and loads nothing,
 * so that the REST layer can serve it under a Content-Security-Policy that allows neither.
 */
public final class ConsentFormHtml {

    private ConsentFormHtml() {}

    /**
     * @param recipients the organisations (id and country) the referral would go to; empty for a blank form
     * @param ticked purposes and categories already agreed (from a recorded consent), or empty sets
     * @param expiresAt the recorded consent's end, or null for a line to fill in
     * @param reference an opaque referral id printed for the caseworker's records, or null
     */
    public static String render(
            ConsentForm f,
            List<Recipient> recipients,
            Set<Consent.Purpose> purposes,
            Set<Consent.DataCategory> categories,
            Instant expiresAt,
            UUID reference) {
        var h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"")
                .append(esc(languageTag(f.language())))
                .append("\" dir=\"")
                .append(esc(f.direction()))
                .append("\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(esc(f.title()))
                .append("</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:48em;margin:2em auto;line-height:1.5}"
                        + "h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.5em}.box{display:inline-block;width:1em;height:1em;"
                        + "border:1px solid #000;margin-right:.5em;text-align:center;line-height:1em}"
                        + ".sign{border-bottom:1px solid #000;height:3em;margin:1em 0 .2em}small{color:#444}"
                        + "@media print{body{margin:0}}</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(f.title())).append("</h1>\n");
        p(h, f.intro());
        p(h, f.voluntary());
        h.append("<h2>").append(esc(f.recipientsHeading())).append("</h2>\n<ul>\n");
        if (recipients.isEmpty()) {
            h.append("<li><div class=\"sign\"></div></li>\n");
        }
        for (Recipient r : recipients) {
            h.append("<li>")
                    .append(esc(r.country()))
                    .append(" &middot; <code>")
                    .append(esc(r.organisationId().toString()))
                    .append("</code></li>\n");
        }
        h.append("</ul>\n<h2>").append(esc(f.purposesHeading())).append("</h2>\n");
        for (Consent.Purpose purpose : Consent.Purpose.values()) {
            tick(h, purposes.contains(purpose), f.purposes().get(purpose));
        }
        h.append("<h2>").append(esc(f.categoriesHeading())).append("</h2>\n");
        p(h, f.categoriesInstruction());
        for (Consent.DataCategory category : Consent.DataCategory.values()) {
            tick(h, categories.contains(category), f.categories().get(category));
        }
        h.append("<h2>").append(esc(f.expiryLabel())).append("</h2>\n");
        p(h, f.expiry());
        if (expiresAt != null) {
            h.append("<p><strong>")
                    .append(esc(DateTimeFormatter.ISO_LOCAL_DATE.format(expiresAt.atOffset(ZoneOffset.UTC))))
                    .append("</strong></p>\n");
        } else {
            h.append("<div class=\"sign\"></div>\n");
        }
        p(h, f.withdrawal());
        h.append("<p>")
                .append(esc(f.interpreterQuestion()))
                .append(": <span class=\"box\"></span>")
                .append(esc(f.yes()))
                .append(" <span class=\"box\"></span>")
                .append(esc(f.no()))
                .append("</p>\n");
        for (String line : List.of(f.signatureSurvivor(), f.signatureCaseworker())) {
            h.append("<div class=\"sign\"></div><p>")
                    .append(esc(line))
                    .append(" &middot; ")
                    .append(esc(f.dateLabel()))
                    .append(": ____________</p>\n");
        }
        p(h, f.footer());
        h.append("<p><small>").append(esc(f.language())).append(" &middot; ").append(esc(f.version()));
        if (reference != null) {
            h.append(" &middot; ").append(esc(reference.toString()));
        }
        h.append("</small></p>\n</body>\n</html>\n");
        return h.toString();
    }

    /** An organisation named on the form. */
    public record Recipient(UUID organisationId, String country) {}

    private static void p(StringBuilder h, String text) {
        h.append("<p>").append(esc(text)).append("</p>\n");
    }

    private static void tick(StringBuilder h, boolean ticked, String text) {
        h.append("<p><span class=\"box\">")
                .append(ticked ? "&#10003;" : "")
                .append("</span>")
                .append(esc(text))
                .append("</p>\n");
    }

    /**
     * The BCP 47 tag for an ISO 639-3 code, for the page's {@code lang} (screen readers, hyphenation): the
     * two-letter code where one exists (ukr → uk, ron → ro), else the three-letter code itself (pcm).
     */
    static String languageTag(String iso639_3) {
        for (String two : java.util.Locale.getISOLanguages()) {
            try {
                if (java.util.Locale.of(two).getISO3Language().equals(iso639_3)) {
                    return two;
                }
            } catch (java.util.MissingResourceException e) {
                // no three-letter code known for this one
            }
        }
        return iso639_3;
    }

    static String esc(String s) {
        var out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
