package org.ppml.occlum.sign;

/**
 * The Occlum sign-tool adapter could not go on. {@link #pending()} is true when nothing is wrong
 * but the signature is not there yet: the build must stop until the offline signer returns it.
 */
public final class SignToolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean pending;

    /** @param message what is wrong, with the file involved */
    public SignToolException(String message) {
        this(message, false, null);
    }

    /**
     * @param message what is wrong
     * @param cause   the underlying failure
     */
    public SignToolException(String message, Throwable cause) {
        this(message, false, cause);
    }

    private SignToolException(String message, boolean pending, Throwable cause) {
        super(message, cause);
        this.pending = pending;
    }

    /** The signing request was written and waits for the offline signer. */
    public static SignToolException pending(String message) {
        return new SignToolException(message, true, null);
    }

    /** Whether the build stopped only to wait for the signature. */
    public boolean pending() {
        return pending;
    }
}
