/** {@code ppml crypto info}: which AES-GCM provider is active and why. */
package org.ppml.cli.crypto;
