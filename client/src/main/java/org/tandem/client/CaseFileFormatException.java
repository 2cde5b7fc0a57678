package org.tandem.client;

/**
 * Untrusted input (a case file, a deletion receipt, a key) is not what the protocol allows. {@link #field()}
 * names the part that is wrong, such as {@code jwe.header.alg}, so that a service can answer with a problem
 * naming it. Messages never quote the input.
 */
public class CaseFileFormatException extends RuntimeException {

    private final String field;

    public CaseFileFormatException(String field, String message) {
        super(message);
        this.field = field;
    }

    public CaseFileFormatException(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
