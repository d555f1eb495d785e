/**
 * What a Spark JVM needs to run inside a LibOS enclave (Gramine), where it must not start child
 * processes: a fork there copies the whole heap into a new enclave (on Gramine ff71d7a it fails
 * outright at realistic heaps), and the manifest forbids it ({@code sys.disallow_subprocesses}).
 */
package org.ppml.spark.enclave;
