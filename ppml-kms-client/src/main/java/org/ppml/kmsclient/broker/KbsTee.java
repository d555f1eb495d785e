package org.ppml.kmsclient.broker;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The TEE names of the KBS {@code tee} field, spelled as the {@code kbs-types} crate serialises its
 * {@code Tee} enum ({@code #[serde(rename_all = "lowercase")]}, kbs-types 0.12.0 at commit {@code
 * f4055a1}, which Trustee v0.14.0 and guest-components v0.14.0 both pin): the variant name in lower
 * case with no separators, so {@code AzSnpVtpm} is {@code azsnpvtpm} and {@code SampleDevice} is
 * {@code sampledevice}.
 *
 * <p>Only {@link #SGX} and {@link #TDX} evidence (Intel DCAP quotes) can be verified by the PPML
 * broker; the others are known names it refuses at attest.
 */
public enum KbsTee {
  AZSNPVTPM("azsnpvtpm"),
  AZTDXVTPM("aztdxvtpm"),
  NVIDIA("nvidia"),
  SEV("sev"),
  SGX("sgx"),
  SNP("snp"),
  TDX("tdx"),
  CCA("cca"),
  CSV("csv"),
  SE("se"),
  HYGONDCU("hygondcu"),
  TPM("tpm"),
  SAMPLE("sample"),
  SAMPLEDEVICE("sampledevice");

  private final String wire;

  KbsTee(String wire) {
    this.wire = wire;
  }

  /** The name on the wire. */
  public String wireName() {
    return wire;
  }

  /** Whether the PPML broker can verify this TEE's evidence (an Intel DCAP quote). */
  public boolean dcap() {
    return this == SGX || this == TDX;
  }

  /** The TEE named exactly {@code name} (case-sensitive, as serde is), if kbs-types defines it. */
  public static Optional<KbsTee> of(String name) {
    for (KbsTee t : values()) {
      if (t.wire.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** Every wire name, comma-separated, for error messages. */
  public static String names() {
    return Arrays.stream(values()).map(KbsTee::wireName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return wire;
  }
}
