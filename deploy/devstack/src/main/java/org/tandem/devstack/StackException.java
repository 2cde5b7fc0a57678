package org.tandem.devstack;

/** A part of the stack failed to start or to be provisioned; the message says where to look. */
public class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
