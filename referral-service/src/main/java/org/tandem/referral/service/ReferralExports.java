package org.tandem.referral.service;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.tandem.platform.audit.AuditLog;
import org.tandem.referral.application.ConsentForm;
import org.tandem.referral.domain.Consent;
import org.tandem.referral.domain.Referral;
import org.tandem.referral.domain.ReferralException;
import org.tandem.referral.mapping.ConsentFormHtml;
import org.tandem.referral.mapping.FhirView;
import org.tandem.referral.mapping.ReferralMapper;
import org.tandem.referral.persistence.ReferralEntity;

/** A referral in other formats: its consent form to print (HTML) and its FHIR R4 view. Each export is audited. */
@ApplicationScoped
public class ReferralExports {

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    ConsentForms forms;

    @Inject
    PartyGuard parties;

    /**
     * The consent form for this referral, to print for her signature: in {@code language} (default: the
     * recorded consent's, else English) and {@code version} (default: the current one), naming the
     * receiver, with what a recorded consent already covers ticked. For the sender only.
     */
    @Transactional
    public String consentForm(UUID caller, UUID id, String language, String version) {
        ReferralEntity e = parties.sender(caller, id);
        Referral r = ReferralMapper.toDomain(e);
        String lang = language != null
                ? language
                : r.consent().map(Consent::formLanguage).orElse("eng");
        String ver = version != null ? version : forms.currentVersion();
        ConsentForm form = forms.find(ver, lang)
                .orElseThrow(() -> new ReferralException.InvalidField(
                        language != null ? "language" : "version",
                        "names no consent form; see GET /api/v1/consent-forms"));
        List<ConsentFormHtml.Recipient> recipients =
                List.of(new ConsentFormHtml.Recipient(e.receiverOrg, e.receiverCountry.strip()));
        audit.allowed("referral.consent-form-printed", "referral", e.id, e.senderOrg, e.receiverOrg);
        return ConsentFormHtml.render(
                form,
                recipients,
                r.consent().map(Consent::purposes).orElse(Set.of()),
                r.consent().map(Consent::dataCategories).orElse(Set.of()),
                r.consent().map(Consent::expiresAt).orElse(null),
                e.id);
    }

    /** The referral as a FHIR R4 Bundle (Task, ServiceRequest, and the Consent for the sender), for either party. */
    @Transactional
    public Map<String, Object> fhir(UUID caller, UUID id, String base) {
        ReferralEntity e = parties.party(caller, id);
        audit.allowed("referral.fhir-read", "referral", e.id, e.senderOrg, e.receiverOrg);
        return FhirView.bundle(ReferralMapper.toDomain(e), caller, e.version, base, clock.instant());
    }
}
