package org.tandem.registry.domain;

/** A profile (or a key) that breaks a rule of the domain; names the field at fault. */
public final class InvalidProfileException extends InvalidFieldException {

    public InvalidProfileException(String field, String message) {
        super(field, message);
    }
}
