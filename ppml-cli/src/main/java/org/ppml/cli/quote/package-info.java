/**
 * {@code ppml quote verify|show|simulate}: DCAP quotes (docs/architecture.md, docs/cli.md).
 *
 * <p>{@code verify} prints the report object whatever the verdict, and its exit code is the
 * report's: 0 verified (and allowed by {@code --policy}), 1 not verified or denied, 2 input that
 * cannot be read. The Intel SGX Root CA is pinned unless {@code --root} says otherwise; a
 * development root is trusted only with {@code --dev}, and everything verified under it is reported
 * as simulated. {@code simulate} writes quotes signed through the dev home's PKI.
 */
package org.ppml.cli.quote;
