package org.tandem.referral.domain;

/** The services a referral asks for; the same stable codes as the registry's taxonomy (docs/design.md §1.1). */
public enum RequestedService {
    SAFE_ACCOMMODATION,
    PSYCHOLOGICAL_SUPPORT,
    MEDICAL_CARE,
    SEXUAL_AND_REPRODUCTIVE_HEALTH,
    FGM_CARE,
    LEGAL_ASSISTANCE,
    ECONOMIC_EMPOWERMENT,
    CHILDCARE_AND_MOTHER_SUPPORT,
    INTERPRETATION_AND_CULTURAL_MEDIATION,
    PEER_SUPPORT,
    LANGUAGE_COURSES,
    MATERIAL_ASSISTANCE,
    RETURN_AND_REINTEGRATION
}
