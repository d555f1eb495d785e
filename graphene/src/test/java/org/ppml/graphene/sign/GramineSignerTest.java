package org.ppml.graphene.sign;

import static org.junit.jupiter.api.Assertions.*;

import java.security.Signature;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.ppml.enclave.sgx.EnclaveKeyPem;
import org.ppml.enclave.sgx.SigStruct;
import org.ppml.enclave.sgx.SigStructBody;
import org.ppml.enclave.sgx.SigStructSigner;
import org.ppml.graphene.TestVectors;
import org.ppml.graphene.layout.GramineMeasurement;
import org.ppml.graphene.layout.GramineMeasurer;

class GramineSignerTest {
  private static final String DIR = "sigstruct/gramine-v1.9-a/";

  @Test
  void reproducesASigByteForByte() throws Exception {
    GramineMeasurement m =
        GramineMeasurer.measure(
            TestVectors.read(DIR + "a.manifest.sgx"), TestVectors.read(DIR + "libpal.so"));
    var key = EnclaveKeyPem.readPrivateKey(TestVectors.read(DIR + "enclave-key.pem"));
    SigStruct sig = GramineSigner.sign(m, LocalDate.of(2025, 1, 31), key);
    assertArrayEquals(TestVectors.read(DIR + "a.sig"), sig.toBytes());
  }

  @Test
  void twoStepEqualsDirect() throws Exception {
    GramineMeasurement m =
        GramineMeasurer.measure(
            TestVectors.read(DIR + "a.manifest.sgx"), TestVectors.read(DIR + "libpal.so"));
    var key = EnclaveKeyPem.readPrivateKey(TestVectors.read(DIR + "enclave-key.pem"));
    SigStructBody body = GramineSigner.body(m, LocalDate.of(2025, 1, 31));
    Signature hsm = Signature.getInstance("SHA256withRSA");
    hsm.initSign(key);
    hsm.update(body.signedData());
    SigStruct assembled =
        SigStructSigner.assemble(
            body.signedData(),
            hsm.sign(),
            EnclaveKeyPem.readPublicKey(TestVectors.read(DIR + "enclave-key.pub.pem")));
    assertArrayEquals(TestVectors.read(DIR + "a.sig"), assembled.toBytes());
  }
}
