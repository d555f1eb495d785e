package org.ppml.cli.enclave;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.OutputFile;
import org.ppml.enclave.sgx.MrSigner;
import org.ppml.enclave.sgx.SigStruct;
import org.ppml.enclave.sgx.SigStructReport;

/**
 * How every command shows a SIGSTRUCT: the fields of {@code enclave show} (docs/cli.md), and for
 * one a command just produced, where it went and the key-release policy that pins it.
 */
public final class SigStructView {
  private SigStructView() {}

  /** The {@code ppml enclave show --json} object. */
  public static ObjectNode fields(SigStruct s) {
    return CommandOutput.object(SigStructReport.show(s));
  }

  /**
   * A freshly signed SIGSTRUCT: its fields, {@code out}, and {@code policy}, the JSON a key broker
   * takes (docs/architecture.md, docs/enclave-signing.md).
   */
  /**
   * Writes a freshly made SIGSTRUCT to {@code out} and reports it the same way for every command
   * that makes one: the fields and policy, and the sample-key warning.
   */
  public static void writeAndReport(SigStruct s, Path out, CommandOutput result)
      throws java.io.IOException {
    OutputFile.write(out, s.toBytes());
    ObjectNode json = signed(s, out);
    result.result(json);
    result.fields(json);
    warnIfSampleKey(s, result);
  }

  public static ObjectNode signed(SigStruct s, Path out) {
    ObjectNode json = fields(s);
    json.put("out", out.toString());
    json.set("policy", policy(s));
    return json;
  }

  /**
   * mrEnclave, mrSigner, isvProdId, minIsvSvn and allowDebug, from the SIGSTRUCT's signed fields.
   */
  public static ObjectNode policy(SigStruct s) {
    return CommandOutput.object(SigStructReport.policy(s));
  }

  /**
   * On stderr, in both output modes, when a production enclave is signed with the Intel SDK sample
   * key: its private half is public, so such a signature proves nothing about who built the
   * enclave, and a policy pinning its MRSIGNER trusts anyone.
   */
  public static void warnIfSampleKey(SigStruct s, CommandOutput out) {
    if (s.productionSignedWithSampleKey()) {
      out.note(
          "ppml: WARNING: a production (non-debug) enclave signed with the PUBLIC Intel SDK sample key (MRSIGNER "
              + MrSigner.INTEL_SDK_SAMPLE_KEY.hex()
              + "); anyone can sign as this key, so never trust this MRSIGNER: generate your own with `ppml enclave keygen`");
    }
  }
}
