package org.tandem.registry.domain;

/** The organisation applied for membership before; its profile is changed by an update instead. */
public final class AlreadyRegisteredException extends RegistryException {

    public AlreadyRegisteredException() {
        super("already registered");
    }
}
