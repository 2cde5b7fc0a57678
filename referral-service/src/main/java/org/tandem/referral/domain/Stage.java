package org.tandem.referral.domain;

/**
 * The stage of the transnational referral procedure a referral belongs to (docs/referrals.md, "Pathways and
 * stages"). A code list, never free text. The event schemas carry the same codes (VocabularyTest).
 */
public enum Stage {
    IDENTIFICATION,
    /** First assistance and protection, with the reflection and recovery period. */
    FIRST_ASSISTANCE,
    LONG_TERM_ASSISTANCE,
    RETURN_AND_REINTEGRATION,
    /** Criminal and civil proceedings. */
    PROCEEDINGS;

    /** Whether the end of a reflection and recovery period can be carried with a referral of this stage. */
    public boolean hasReflectionPeriod() {
        return this == IDENTIFICATION || this == FIRST_ASSISTANCE;
    }
}
