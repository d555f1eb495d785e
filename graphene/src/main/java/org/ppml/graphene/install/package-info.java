/**
 * Where a Gramine installation keeps the pieces the project uses: the LibOS, its runtime glibc, the
 * SGX PAL and the {@code gramine-*} tools.
 */
package org.ppml.graphene.install;
