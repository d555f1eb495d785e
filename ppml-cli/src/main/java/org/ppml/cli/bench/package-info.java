/**
 * {@code ppml bench}: short in-process benchmarks that print ratios against a baseline measured
 * in the same run. The measured kernels ({@link org.ppml.cli.bench.CryptoThroughput}) are shared
 * with the JMH benchmarks in the {@code benchmarks} module, so both measure the same code.
 */
package org.ppml.cli.bench;
