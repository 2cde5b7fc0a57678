package org.tandem.registry.domain;

/** A value the registry cannot take; names the field at fault and completes "the field ... " with the message. */
public sealed class InvalidFieldException extends RegistryException permits InvalidProfileException {

    private final String field;

    public InvalidFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
