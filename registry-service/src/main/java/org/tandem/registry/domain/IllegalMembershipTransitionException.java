package org.tandem.registry.domain;

/** A membership step that the organisation's current status does not allow, such as suspending a pending one. */
public final class IllegalMembershipTransitionException extends RegistryException {

    private final Membership.Status from;
    private final String verb;

    public IllegalMembershipTransitionException(Membership.Status from, String verb) {
        super(from + " cannot be " + verb);
        this.from = from;
        this.verb = verb;
    }

    public Membership.Status from() {
        return from;
    }

    /** The step as a past participle: approved, suspended, reinstated. */
    public String verb() {
        return verb;
    }
}
