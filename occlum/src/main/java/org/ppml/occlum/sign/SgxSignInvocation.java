package org.ppml.occlum.sign;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line Occlum gives its sign tool, which follows Intel's {@code sgx_sign}: {@code sign
 * -key KEY -config Enclave.xml -enclave libocclum-libos.so.N -out libocclum-libos.signed.so}
 * (Occlum's {@code occlum_build.mk}). With the adapter, {@code -key} is the enclave <em>public</em>
 * key ({@code occlum build --sign-key pub.pem}).
 *
 * <p>{@code sgx_sign}'s flags that take no value ({@code -ignore-rel-error}, {@code
 * -ignore-init-sec-error}, {@code -resign}) are kept and passed on to {@code gendata} and {@code
 * catsig}; anything else is refused rather than guessed at.
 */
public final class SgxSignInvocation {
  private static final Set<String> VALUE_OPTIONS = Set.of("-key", "-enclave", "-config", "-out");
  private static final Set<String> FLAGS =
      Set.of("-ignore-rel-error", "-ignore-init-sec-error", "-resign");

  private final Path key;
  private final Path enclave;
  private final Path config;
  private final Path out;
  private final List<String> flags;

  private SgxSignInvocation(Path key, Path enclave, Path config, Path out, List<String> flags) {
    this.key = key;
    this.enclave = enclave;
    this.config = config;
    this.out = out;
    this.flags = List.copyOf(flags);
  }

  /**
   * @param argv the arguments after the tool's name
   * @throws SignToolException if it is not a {@code sign} command with all four paths
   */
  public static SgxSignInvocation parse(List<String> argv) throws SignToolException {
    if (argv.isEmpty() || !argv.get(0).equals("sign")) {
      throw new SignToolException(
          "expected the sgx_sign \"sign\" command Occlum runs, got "
              + (argv.isEmpty() ? "nothing" : "\"" + argv.get(0) + "\""));
    }
    Map<String, String> values = new LinkedHashMap<>();
    List<String> flags = new ArrayList<>();
    for (int i = 1; i < argv.size(); i++) {
      String a = argv.get(i);
      if (FLAGS.contains(a)) {
        flags.add(a);
      } else if (VALUE_OPTIONS.contains(a)) {
        if (i + 1 >= argv.size()) {
          throw new SignToolException(a + " needs a value");
        }
        if (values.put(a, argv.get(++i)) != null) {
          throw new SignToolException(a + " is given twice");
        }
      } else {
        throw new SignToolException("unsupported sgx_sign argument \"" + a + "\"");
      }
    }
    for (String required : List.of("-key", "-enclave", "-config", "-out")) {
      if (!values.containsKey(required)) {
        throw new SignToolException("missing " + required);
      }
    }
    return new SgxSignInvocation(
        Path.of(values.get("-key")),
        Path.of(values.get("-enclave")),
        Path.of(values.get("-config")),
        Path.of(values.get("-out")),
        flags);
  }

  /** {@code -key}: the enclave public key. */
  public Path key() {
    return key;
  }

  /** {@code -enclave}: the unsigned LibOS. */
  public Path enclave() {
    return enclave;
  }

  /** {@code -config}: the SGX SDK {@code Enclave.xml} Occlum generated from {@code Occlum.json}. */
  public Path config() {
    return config;
  }

  /** {@code -out}: the signed LibOS to write. */
  public Path out() {
    return out;
  }

  /** Value-less {@code sgx_sign} flags to pass on. */
  public List<String> flags() {
    return flags;
  }
}
