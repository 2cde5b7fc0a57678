package org.tandem.registry.domain;

/**
 * The service taxonomy of docs/design.md §1.1. The codes are stable identifiers; the English label is the default,
 * and labels in further languages are rows of the {@code service_label} table (data, not code).
 */
public enum ServiceCode {
    SAFE_ACCOMMODATION("Safe women-only accommodation"),
    PSYCHOLOGICAL_SUPPORT("Psychological and psycho-social support"),
    MEDICAL_CARE("Medical care"),
    SEXUAL_AND_REPRODUCTIVE_HEALTH("Sexual and reproductive health"),
    FGM_CARE("FGM-related care"),
    LEGAL_ASSISTANCE("Legal assistance"),
    ECONOMIC_EMPOWERMENT("Economic empowerment and employment"),
    CHILDCARE_AND_MOTHER_SUPPORT("Childcare and support for mothers"),
    INTERPRETATION_AND_CULTURAL_MEDIATION("Interpretation and cultural mediation"),
    PEER_SUPPORT("Peer support by survivors"),
    LANGUAGE_COURSES("Language courses"),
    MATERIAL_ASSISTANCE("Material assistance"),
    RETURN_AND_REINTEGRATION("Return and reintegration");

    private final String englishLabel;

    ServiceCode(String englishLabel) {
        this.englishLabel = englishLabel;
    }

    public String englishLabel() {
        return englishLabel;
    }
}
