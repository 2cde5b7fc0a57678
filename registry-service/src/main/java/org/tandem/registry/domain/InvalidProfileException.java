package org.tandem.registry.domain;

/** A profile that breaks a rule of the domain; names the field at fault. */
public class InvalidProfileException extends RuntimeException {

    private final String field;

    public InvalidProfileException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
