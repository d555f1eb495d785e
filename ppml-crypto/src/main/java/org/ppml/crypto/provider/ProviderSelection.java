package org.ppml.crypto.provider;

/**
 * The selected provider and a human-readable reason, reported by {@code ppml crypto info}.
 *
 * @param provider the provider in use
 * @param reason why it was chosen, or why ACCP was not
 */
public record ProviderSelection(CryptoProvider provider, String reason) {}
