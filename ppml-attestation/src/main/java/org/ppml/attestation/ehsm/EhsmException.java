package org.ppml.attestation.ehsm;

import org.ppml.crypto.kms.KmsException;

/**
 * eHSM refused a request. eHSM answers HTTP 200 with its own {@code code} and {@code message};
 * this carries them, mapped to a {@link KmsException.Reason}.
 */
public final class EhsmException extends KmsException {
    private static final long serialVersionUID = 1L;

    private final int code;

    public EhsmException(Reason reason, int code, String message) {
        super(reason, message);
        this.code = code;
    }

    public EhsmException(Reason reason, String message, Throwable cause) {
        super(reason, message, cause);
        this.code = 0;
    }

    /** eHSM's result code, or 0 when no answer arrived. */
    public int code() {
        return code;
    }
}
