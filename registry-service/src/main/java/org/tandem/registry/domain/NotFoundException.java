package org.tandem.registry.domain;

/**
 * Something that does not exist, or that the caller may not see: both get the same answer, so that a refusal
 * does not tell that the thing exists.
 */
public final class NotFoundException extends RegistryException {

    private final String what;

    public NotFoundException(String what) {
        super("no " + what);
        this.what = what;
    }

    /** What was looked for, such as "organisation" or "confidential address". */
    public String what() {
        return what;
    }
}
