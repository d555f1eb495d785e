package org.ppml.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.kms.KmsException;
import org.ppml.enclave.sgx.SigStructSignatureException;
import org.ppml.graphene.manifest.GramineManifestException;
import org.ppml.kmsclient.broker.KeyBrokerException;

/**
 * The exit code and error code of real exceptions from each module, as the CLI reports them through
 * {@link org.ppml.crypto.CodedFailure}; commands' own tests show the same end to end.
 */
class ErrorReporterTest {
  private static void assertMapped(Throwable e, int exit, String code) {
    assertEquals(exit, ErrorReporter.exitCode(e), e.toString());
    assertEquals(code, ErrorReporter.code(e), e.toString());
    Throwable located = new ErrorReporter.Located("f.ppml", e);
    assertEquals(exit, ErrorReporter.exitCode(located));
    assertEquals(code, ErrorReporter.code(located));
  }

  @Test
  void verdictsExitOneAndErrorsTwoWithTheirCodes() {
    assertMapped(new IntegrityException("f", 3, "tag mismatch"), 1, "integrity");
    assertMapped(new KmsException(KmsException.Reason.DENIED, "no"), 1, "kms.denied");
    assertMapped(new KmsException(KmsException.Reason.UNSUPPORTED, "no"), 2, "kms.unsupported");
    KeyBrokerException denied =
        new KeyBrokerException(
            KmsException.Reason.DENIED,
            403,
            "urn:ppml:problem:policy-denied",
            "denied",
            List.of("mrEnclave: not allowed"));
    assertMapped(denied, 1, "kms.policy-denied");
    assertEquals(List.of("mrEnclave: not allowed"), ErrorReporter.violations(denied));
    assertMapped(new SigStructSignatureException("bad"), 1, "sigstruct.signature");
    assertMapped(new GramineManifestException("bad"), 2, "gramine.manifest");
    assertMapped(new EvidenceException("none"), 2, "evidence");
    assertMapped(new ErrorReporter.NegativeVerdict("denied", "no"), 1, "denied");
    assertMapped(new ErrorReporter.UsageError("bad"), 2, "usage");
    assertMapped(new GeneralSecurityException("x"), 2, "crypto");
    assertMapped(new IOException("x"), 2, "io");
    assertMapped(new IllegalStateException("x"), 2, "internal");
    assertEquals(List.of(), ErrorReporter.violations(new IOException("x")));
  }
}
