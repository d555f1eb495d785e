/**
 * Choice of the JCA provider for AES-GCM on the hot path.
 *
 * <p>ACCP (Amazon Corretto Crypto Provider, AWS-LC with AES-NI/VAES) is used when its native
 * library loads on this OS and architecture and it passes a known-answer self-test; otherwise the
 * JDK's SunJCE is used and the reason is logged. ACCP is optional at run time: it is loaded by
 * reflection so a jar without it still works.
 */
package org.ppml.crypto.provider;
