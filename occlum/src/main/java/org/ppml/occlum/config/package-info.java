/**
 * {@code Occlum.json} for a JVM running Spark: {@link org.ppml.occlum.config.OcclumConfigSpec}
 * takes and checks the inputs of {@code ppml occlum config}, and {@link
 * org.ppml.occlum.config.OcclumConfig} generates the file with Jackson, reads it back and checks
 * the result against the spec (sizes parse, the heap fits the user space, threads are positive,
 * debuggable only when asked).
 *
 * <p>The schema is Occlum 0.29/0.30's: {@code resource_limits}, {@code process}, {@code
 * entry_points}, {@code env.default}/{@code env.untrusted}, {@code metadata}, {@code feature},
 * {@code mount}. Unlike Occlum's template, nothing from the host environment is passed in unless
 * listed, and only {@code /usr/lib/jvm} may be started by default.
 */
package org.ppml.occlum.config;
