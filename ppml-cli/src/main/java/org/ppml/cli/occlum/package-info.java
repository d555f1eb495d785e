/**
 * {@code ppml occlum}: {@code config} writes a checked {@code Occlum.json}; {@code
 * sign-tool-script} writes the executable for {@code occlum build --sign-tool}, which runs {@code
 * sign-tool} to sign in two steps with the enclave key kept offline (docs/occlum.md).
 */
package org.ppml.cli.occlum;
