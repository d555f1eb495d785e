/**
 * {@code ppml quickstart}: Stage 1 end to end on one machine, with nothing but Java. It grows with
 * the product: today it covers the local key store and the PPML file format; the Spark job, the
 * embedded key broker and simulated attestation join as those land.
 */
package org.ppml.cli.quickstart;
