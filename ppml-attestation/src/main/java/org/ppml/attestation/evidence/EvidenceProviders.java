package org.ppml.attestation.evidence;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Picks the evidence provider by name (docs/evidence-providers.md): {@code gramine}, {@code
 * occlum}, {@code tdx}, {@code simulated}, or {@code auto}.
 *
 * <p>{@code auto} asks the factories in a fixed order ({@code gramine}, {@code occlum}, {@code
 * tdx}) and takes the first whose TEE is present. It falls back to {@code simulated} only in dev
 * mode; otherwise it fails, because silently attesting with simulated evidence in production would
 * only surface later as a key broker refusing every quote. {@code simulated} by name is refused
 * outside dev mode for the same reason.
 */
public final class EvidenceProviders {
  /** The name that detects the TEE. */
  public static final String AUTO = "auto";

  /** The dev-only provider. */
  public static final String SIMULATED = "simulated";

  /** The order {@code auto} tries: the in-enclave interfaces first, the confidential VM last. */
  public static final List<String> DETECTION_ORDER = List.of("gramine", "occlum", "tdx");

  private EvidenceProviders() {}

  /**
   * Selects on this machine with the factories on the class path.
   *
   * @param name a provider name or {@code auto}
   * @param devMode whether simulated evidence is allowed
   * @param devHome the dev home for the simulated provider
   * @throws EvidenceException naming what is wrong: an unknown name, no TEE found, simulated
   *     outside dev mode
   */
  public static EvidenceProvider select(String name, boolean devMode, Path devHome)
      throws EvidenceException {
    return select(name, EvidenceContext.system(devMode, devHome));
  }

  /** Selects in {@code context} (a fake root in tests) with the factories on the class path. */
  public static EvidenceProvider select(String name, EvidenceContext context)
      throws EvidenceException {
    return select(name, context, installed());
  }

  /** Selects in {@code context} among {@code factories}. */
  public static EvidenceProvider select(
      String name, EvidenceContext context, Iterable<EvidenceProviderFactory> factories)
      throws EvidenceException {
    Map<String, EvidenceProviderFactory> byName = new LinkedHashMap<>();
    for (EvidenceProviderFactory f : factories) {
      byName.putIfAbsent(f.name(), f);
    }
    String wanted = name == null ? AUTO : name.trim().toLowerCase(Locale.ROOT);
    if (wanted.equals(AUTO)) {
      return detect(context, byName);
    }
    EvidenceProviderFactory factory = byName.get(wanted);
    if (factory == null) {
      throw new EvidenceException(
          "unknown evidence provider '"
              + name
              + "' (available: "
              + AUTO
              + ", "
              + String.join(", ", byName.keySet())
              + ")");
    }
    if (wanted.equals(SIMULATED) && !context.devMode()) {
      throw new EvidenceException(
          "the simulated evidence provider is for development only;"
              + " enable dev mode or name a TEE provider ("
              + String.join(", ", DETECTION_ORDER)
              + ")");
    }
    return factory.create(context);
  }

  private static EvidenceProvider detect(
      EvidenceContext context, Map<String, EvidenceProviderFactory> byName)
      throws EvidenceException {
    List<String> looked = new ArrayList<>();
    for (String candidate : DETECTION_ORDER) {
      EvidenceProviderFactory f = byName.get(candidate);
      if (f == null) {
        continue;
      }
      looked.add(candidate);
      if (f.isAvailable(context)) {
        return f.create(context);
      }
    }
    EvidenceProviderFactory simulated = byName.get(SIMULATED);
    if (context.devMode() && simulated != null) {
      return simulated.create(context);
    }
    throw new EvidenceException(
        "no TEE detected (looked for: "
            + String.join(", ", looked)
            + ")"
            + (context.devMode()
                ? " and no simulated provider is installed"
                : "; outside a TEE, only dev mode may fall back to simulated evidence"));
  }

  /** The factories registered through {@link ServiceLoader}. */
  public static List<EvidenceProviderFactory> installed() {
    List<EvidenceProviderFactory> all = new ArrayList<>();
    ServiceLoader.load(EvidenceProviderFactory.class, EvidenceProviders.class.getClassLoader())
        .forEach(all::add);
    return all;
  }
}
