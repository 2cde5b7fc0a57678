package org.tandem.referral.domain;

/**
 * A request that the referral rules refuse. The kinds are closed, so the REST layer maps each onto exactly
 * one problem (docs/api.md) by its type, never by its message. The message is the explanation a caseworker
 * or integrator reads in the problem's {@code detail}.
 */
public abstract sealed class ReferralException extends RuntimeException {

    private ReferralException(String message) {
        super(message, null, false, false); // an answer, not a fault: no stack trace
    }

    /** No such thing, or one the caller's organisation may not see: the two look the same. */
    public static final class NotFound extends ReferralException {
        private final String what;

        public NotFound(String what) {
            super("No " + what + " with this id exists for you.");
            this.what = what;
        }

        public String what() {
            return what;
        }
    }

    /** The caller's organisation is a party, but not the one that may do this (or not a member yet). */
    public static final class NotAllowed extends ReferralException {
        public NotAllowed(String detail) {
            super(detail);
        }
    }

    /** The referral's state does not offer this transition. */
    public static final class IllegalTransition extends ReferralException {
        private final Referral.Status status;

        /** @param action what was asked, as in "cannot be asked to {action}" */
        public IllegalTransition(Referral.Status status, String action) {
            super("A referral that is " + status + " cannot be asked to " + action + ".");
            this.status = status;
        }

        public Referral.Status status() {
            return status;
        }
    }

    /** A value that breaks a rule of the referral domain; names the field at fault. */
    public static final class InvalidField extends ReferralException {
        private final String field;
        private final String reason;

        /** @param reason what is wrong with it, as in "The field '{field}' {reason}." */
        public InvalidField(String field, String reason) {
            super("The field '" + field + "' " + reason + ".");
            this.field = field;
            this.reason = reason;
        }

        public String field() {
            return field;
        }

        public String reason() {
            return reason;
        }
    }

    /** The survivor's consent is missing or does not cover what was asked. */
    public static final class ConsentRequired extends ReferralException {
        private final String field;
        private final String reason;

        private ConsentRequired(String field, String reason, String detail) {
            super(detail);
            this.field = field;
            this.reason = reason;
        }

        /** For a referral itself: "The survivor's consent {reason}." */
        public static ConsentRequired forReferral(String field, String reason) {
            return new ConsentRequired(field, reason, "The survivor's consent " + reason + ".");
        }

        /** For the transfer of a case file: "The survivor's consent does not allow this transfer: {reason}." */
        public static ConsentRequired forTransfer(String field, String reason) {
            return new ConsentRequired(
                    field, reason, "The survivor's consent does not allow this transfer: " + reason + ".");
        }

        public String field() {
            return field;
        }

        public String reason() {
            return reason;
        }
    }

    /** Well-formed, but naming something the hub cannot use (an unknown organisation or key, a bad signature). */
    public static final class Unprocessable extends ReferralException {
        private final String code;
        private final String field;
        private final String reason;

        /**
         * @param code the problem type's last segment, such as {@code unknown-key}
         * @param field the field at fault, and {@code reason} what is wrong with it
         */
        public Unprocessable(String code, String detail, String field, String reason) {
            super(detail);
            this.code = code;
            this.field = field;
            this.reason = reason;
        }

        public String code() {
            return code;
        }

        public String field() {
            return field;
        }

        public String reason() {
            return reason;
        }
    }

    /** The request conflicts with what already exists or with the referral's state. */
    public static final class Conflict extends ReferralException {
        private final String code;

        /** @param code the problem type's last segment, such as {@code case-file-exists} */
        public Conflict(String code, String detail) {
            super(detail);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** A value over one of the limits of docs/api.md. */
    public static final class TooLarge extends ReferralException {
        private final String limit;
        private final long max;

        /** @param limit the limit's name, such as {@code case-file-size}, and {@code max} its value */
        public TooLarge(String limit, long max, String detail) {
            super(detail);
            this.limit = limit;
            this.max = max;
        }

        public String limit() {
            return limit;
        }

        public long max() {
            return max;
        }
    }

    /** A case file whose data key the hub destroyed: it can never be released again. */
    public static final class CaseFileDestroyed extends ReferralException {
        public CaseFileDestroyed() {
            super(
                    "The hub destroyed this case file's key when the referral ended or the survivor withdrew her consent.");
        }
    }
}
