package org.tandem.registry.domain;

/**
 * What the registry refuses, as a type: the REST layer turns each kind into its problem document in one place
 * ({@code rest.RegistryProblems}), never by reading the message. An answer, not a fault: no stack trace.
 */
public abstract sealed class RegistryException extends RuntimeException
        permits InvalidFieldException,
                NotFoundException,
                AlreadyRegisteredException,
                IllegalMembershipTransitionException,
                KidReusedException {

    protected RegistryException(String message) {
        super(message, null, false, false);
    }
}
