package org.ppml.occlum.sign;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Intel's {@code sgx_sign}, run as a process for the two steps that need the SGX SDK's enclave
 * loader: {@code gendata} (measure the LibOS under {@code Enclave.xml}, write the signing data) and
 * {@code catsig} (embed the signature and the SIGSTRUCT in the {@code .so}).
 *
 * <p>The MRENCLAVE of an SGX-SDK-format enclave depends on the SDK's layout rules (metadata,
 * TCS/SSA/stack/heap placement, relocations); re-implementing them is not worth the risk of
 * measuring something the loader does not build, so these steps stay with the SDK tool.
 */
public final class SgxSignTool {
  /** The most output kept for an error message. */
  private static final int OUTPUT_TAIL = 4096;

  private final Path executable;

  /**
   * @param executable Intel's {@code sgx_sign}
   */
  public SgxSignTool(Path executable) {
    this.executable = executable;
  }

  /** {@code sgx_sign gendata -enclave E -config C -out OUT}. */
  public void gendata(SgxSignInvocation invocation, Path out) throws SignToolException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                executable.toString(),
                "gendata",
                "-enclave",
                invocation.enclave().toString(),
                "-config",
                invocation.config().toString(),
                "-out",
                out.toString()));
    cmd.addAll(invocation.flags());
    run(cmd);
  }

  /** {@code sgx_sign catsig -enclave E -config C -key PUB -sig SIG -unsigned DATA -out OUT}. */
  public void catsig(SgxSignInvocation invocation, Path signature, Path unsigned)
      throws SignToolException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                executable.toString(),
                "catsig",
                "-enclave",
                invocation.enclave().toString(),
                "-config",
                invocation.config().toString(),
                "-key",
                invocation.key().toString(),
                "-sig",
                signature.toString(),
                "-unsigned",
                unsigned.toString(),
                "-out",
                invocation.out().toString()));
    cmd.addAll(invocation.flags());
    run(cmd);
  }

  private void run(List<String> cmd) throws SignToolException {
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new SignToolException(
          "cannot run " + executable + " (set SGX_SIGN to Intel's sgx_sign): " + e.getMessage(), e);
    }
    String output;
    try (InputStream in = p.getInputStream()) {
      output = tail(in);
      int exit = p.waitFor();
      if (exit != 0) {
        throw new SignToolException(
            executable.getFileName()
                + " "
                + cmd.get(1)
                + " failed (exit "
                + exit
                + "): "
                + output.strip().replace('\n', ' '));
      }
    } catch (IOException e) {
      throw new SignToolException("lost the output of " + executable + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new SignToolException("interrupted while " + executable + " ran", e);
    }
  }

  private static String tail(InputStream in) throws IOException {
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) > 0) {
      kept.write(buf, 0, n);
      if (kept.size() > 2 * OUTPUT_TAIL) {
        byte[] all = kept.toByteArray();
        kept.reset();
        kept.write(all, all.length - OUTPUT_TAIL, OUTPUT_TAIL);
      }
    }
    byte[] all = kept.toByteArray();
    int from = Math.max(0, all.length - OUTPUT_TAIL);
    return new String(all, from, all.length - from, StandardCharsets.UTF_8);
  }
}
