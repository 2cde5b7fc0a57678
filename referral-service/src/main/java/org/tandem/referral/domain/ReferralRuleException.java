package org.tandem.referral.domain;

/** A value that breaks a rule of the referral domain; names the field at fault. */
public class ReferralRuleException extends RuntimeException {

    private final String field;

    public ReferralRuleException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
