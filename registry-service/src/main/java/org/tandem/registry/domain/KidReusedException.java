package org.tandem.registry.domain;

/** A key id that was used before: a kid is used once and never again. */
public final class KidReusedException extends RegistryException {

    private final String field;

    public KidReusedException(String field) {
        super("kid used before");
        this.field = field;
    }

    /** The JSON path of the kid at fault, such as {@code keys[0].kid}. */
    public String field() {
        return field;
    }
}
