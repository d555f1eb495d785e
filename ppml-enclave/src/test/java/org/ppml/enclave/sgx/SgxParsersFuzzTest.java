package org.ppml.enclave.sgx;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzz targets for every parser in this package (docs/architecture.md). Under plain {@code mvn
 * test} they run in Jazzer's regression mode over the empty input and any saved crash inputs; run
 * with {@code JAZZER_FUZZ=1} to fuzz. The contract: only the typed exception, never anything else.
 */
class SgxParsersFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void sigStruct(byte[] data) {
    try {
      SigStruct s = SigStruct.parse(data);
      s.signatureValid();
      s.q1q2Valid();
      s.date();
      s.mrSigner();
      s.attributes().flagNames();
      s.toString();
    } catch (SigStructFormatException expected) {
      // typed rejection is the contract
    }
  }

  /** What {@code ppml enclave show} reads: any 1808 bytes, judged rather than refused. */
  @FuzzTest(maxDuration = "30s")
  void sigStructInspected(byte[] data) {
    try {
      SigStruct s = SigStruct.inspect(data);
      s.headerValid();
      SigStructReport.show(s);
    } catch (SigStructFormatException expected) {
      // typed rejection (the length) is the contract
    }
  }

  @FuzzTest(maxDuration = "30s")
  void sigStructWithValidHeaders(FuzzedDataProvider in) {
    byte[] b = java.util.Arrays.copyOf(in.consumeRemainingAsBytes(), SigStruct.SIZE);
    System.arraycopy(SigStructLayout.HEADER_VALUE, 0, b, 0, 16);
    System.arraycopy(SigStructLayout.HEADER2_VALUE, 0, b, 24, 16);
    try {
      SigStruct s = SigStruct.parse(b);
      s.signatureValid();
      s.q1q2Valid();
      SigStructBody.parse(s.signedData());
    } catch (SigStructFormatException e) {
      throw new AssertionError("valid headers must parse", e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void signedData(byte[] data) {
    try {
      SigStructBody.parse(data).toString();
    } catch (SigStructFormatException expected) {
      // typed rejection is the contract
    }
  }

  @FuzzTest(maxDuration = "30s")
  void sgxs(byte[] data) throws IOException {
    try {
      SgxsReader.measure(new ByteArrayInputStream(data));
    } catch (SgxsFormatException expected) {
      // typed rejection is the contract
    }
  }

  @FuzzTest(maxDuration = "30s")
  void keyPem(byte[] data) {
    try {
      EnclaveKeyPem.readPrivateKey(data);
    } catch (EnclaveKeyException expected) {
      // typed rejection is the contract
    }
    try {
      EnclaveKeyPem.readPublicKey(data);
    } catch (EnclaveKeyException expected) {
      // typed rejection is the contract
    }
  }
}
