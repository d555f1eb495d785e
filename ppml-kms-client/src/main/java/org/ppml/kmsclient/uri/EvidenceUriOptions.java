package org.ppml.kmsclient.uri;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Set;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.attestation.evidence.EvidenceProviders;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.attestation.simulated.SimulatedSgxProvider;
import org.ppml.crypto.kms.KmsException;
import org.ppml.crypto.kms.KmsException.Reason;

/**
 * The KMS URI parameters that choose which evidence attests this process:
 *
 * <ul>
 *   <li>{@code provider}: the evidence provider, chosen by {@link EvidenceProviders#select}: {@code
 *       gramine}, {@code occlum}, {@code tdx}, {@code auto}, or {@code simulated} (dev only, with
 *       optional {@code devHome} and {@code mrEnclave} hex); absent means this process cannot
 *       attest;
 *   <li>{@code dev=true|false}: dev mode, which alone allows simulated evidence (and lets {@code
 *       auto} fall back to it).
 * </ul>
 */
public final class EvidenceUriOptions {
  /** The parameter names read here; a backend that attests accepts all of them. */
  public static final Set<String> PARAMETERS = Set.of("provider", "dev", "devHome", "mrEnclave");

  private final KmsUriQuery query;

  public EvidenceUriOptions(KmsUriQuery query) {
    this.query = query;
  }

  /** Whether dev mode is on. */
  public boolean dev() throws KmsException {
    String s = query.get("dev") == null ? "false" : query.get("dev");
    // Strict, because "dev=yes" read as false would turn into a confusing refusal of simulated
    // evidence.
    return switch (s) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new KmsException(
              Reason.INVALID_ARGUMENT, "dev must be true or false, not '" + s + "'");
    };
  }

  /** The evidence provider named by {@code provider}, or null when there is none. */
  public EvidenceProvider provider() throws KmsException {
    String name = query.get("provider");
    if (name == null) {
      if (query.has("mrEnclave")) {
        throw new KmsException(Reason.INVALID_ARGUMENT, "mrEnclave is for provider=simulated only");
      }
      return null;
    }
    boolean dev = dev();
    Path devHome = query.has("devHome") ? Path.of(query.get("devHome")) : DevHome.defaultLocation();
    // An explicit stand-in MRENCLAVE is a simulated-only knob; real providers measure themselves.
    if (query.has("mrEnclave")) {
      if (!name.equals(SimulatedSgxProvider.NAME)) {
        throw new KmsException(Reason.INVALID_ARGUMENT, "mrEnclave is for provider=simulated only");
      }
      if (!dev) {
        throw new KmsException(
            Reason.INVALID_ARGUMENT, "simulated evidence needs dev=true (dev mode)");
      }
      try {
        return DevHome.open(devHome).provider(HexFormat.of().parseHex(query.get("mrEnclave")));
      } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
        throw new KmsException(Reason.INVALID_ARGUMENT, "simulated evidence: " + e.getMessage());
      }
    }
    try {
      return EvidenceProviders.select(name, dev, devHome);
    } catch (EvidenceException e) {
      throw new KmsException(
          Reason.INVALID_ARGUMENT, "evidence provider '" + name + "': " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "EvidenceUriOptions[provider=" + query.get("provider") + "]";
  }
}
