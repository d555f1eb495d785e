package org.ppml.attestation.evidence;

/**
 * Creates one kind of {@link EvidenceProvider}; registered in {@code
 * META-INF/services/org.ppml.attestation.evidence.EvidenceProviderFactory} by the module that knows
 * the TEE (graphene for {@code gramine}, occlum for {@code occlum}, this module for {@code tdx} and
 * {@code simulated}).
 */
public interface EvidenceProviderFactory {
  /** The provider name, as given to {@link EvidenceProviders#select}. */
  String name();

  /**
   * Whether this process runs inside the TEE this factory serves. It only looks (no side effects,
   * no device I/O beyond checking that interface files exist), so {@code auto} may ask every
   * factory.
   */
  boolean isAvailable(EvidenceContext context);

  /**
   * Creates the provider. It does not check {@link #isAvailable}: naming a provider explicitly gets
   * that provider, and its first {@code evidence} call reports what is missing.
   *
   * @throws EvidenceException if the provider cannot be set up (e.g. no dev home for simulated)
   */
  EvidenceProvider create(EvidenceContext context) throws EvidenceException;
}
