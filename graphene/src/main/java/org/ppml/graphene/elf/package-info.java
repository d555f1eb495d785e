/**
 * Just enough ELF to load Gramine's {@code libpal.so} into an enclave layout: the ELF64
 * little-endian header and its PT_LOAD program headers.
 *
 * <p>The file is untrusted input to a measurement that must match the CPU's, so every table
 * position and segment range is checked against the file size before use, and failures are {@link
 * org.ppml.graphene.elf.ElfFormatException}s naming the header or segment at fault.
 */
package org.ppml.graphene.elf;
