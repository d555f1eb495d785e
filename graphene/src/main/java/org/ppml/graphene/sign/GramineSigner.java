package org.ppml.graphene.sign;

import java.security.interfaces.RSAPrivateCrtKey;
import java.time.LocalDate;
import org.ppml.enclave.sgx.EnclaveKeyException;
import org.ppml.enclave.sgx.SigStruct;
import org.ppml.enclave.sgx.SigStructBody;
import org.ppml.enclave.sgx.SigStructSigner;
import org.ppml.graphene.layout.GramineMeasurement;
import org.ppml.graphene.manifest.GramineEnclaveAttributes;

/**
 * Builds the SIGSTRUCT that {@code gramine-sgx-sign} writes for a measured enclave: MRENCLAVE,
 * ISVPRODID and ISVSVN from the manifest, the attributes Gramine derives from it, vendor 0 and the
 * given date. For two-step signing, hand {@link #body}'s signed data to the HSM and finish with
 * {@link SigStructSigner#assemble}.
 */
public final class GramineSigner {

  /**
   * @param measurement the measured enclave
   * @param date the SIGSTRUCT date (gramine-sgx-sign's {@code --date}; it uses today by default)
   * @return the fields to sign
   */
  public static SigStructBody body(GramineMeasurement measurement, LocalDate date) {
    GramineEnclaveAttributes a = measurement.attributes();
    return SigStructBody.builder()
        .date(date)
        .enclaveHash(measurement.mrEnclave())
        .isvProdId(measurement.settings().isvProdId())
        .isvSvn(measurement.settings().isvSvn())
        .attributes(a.attributes())
        .attributeMask(a.attributeMask())
        .miscSelect(a.miscSelect())
        .miscMask(a.miscMask())
        .build();
  }

  /**
   * @param measurement the measured enclave
   * @param date the SIGSTRUCT date
   * @param key the enclave key (RSA-3072, e = 3)
   * @return the signed SIGSTRUCT, byte-identical to gramine-sgx-sign's {@code .sig}
   * @throws EnclaveKeyException if the key is not RSA-3072 with e = 3
   */
  public static SigStruct sign(GramineMeasurement measurement, LocalDate date, RSAPrivateCrtKey key)
      throws EnclaveKeyException {
    return SigStructSigner.sign(body(measurement, date), key);
  }

  private GramineSigner() {}
}
