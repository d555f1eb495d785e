/**
 * {@code ppml bench}: short in-process benchmarks that print ratios against a baseline measured in
 * the same run. The measured kernels ({@link org.ppml.cli.bench.CryptoThroughput}) are shared with
 * the JMH benchmarks in the {@code benchmarks} module, so both measure the same code.
 *
 * <p>Tink, the crypto benchmark's baseline, is not shipped with the CLI; it is reached only through
 * {@link org.ppml.cli.bench.TinkBaseline}, and the benchmark runs without it.
 */
package org.ppml.cli.bench;
