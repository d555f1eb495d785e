/**
 * JMH benchmarks. Every performance claim in docs/benchmarks.md comes from here, measured as a
 * ratio against a baseline in the same run, with the command that produced it.
 */
package org.ppml.benchmarks;
