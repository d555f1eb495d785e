package org.ppml.cli.enclave;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.HexArgument;
import org.ppml.enclave.sgx.SgxAttributes;
import org.ppml.enclave.sgx.SigStructBody;
import org.ppml.enclave.sgx.SigStructDate;
import org.ppml.graphene.sign.GramineSigner;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The fields a SIGSTRUCT signs, shared by {@code enclave sign} and {@code enclave gendata} so that
 * direct and two-step signing take the same inputs and produce the same bytes.
 *
 * <p>Either every field comes from options ({@code --mrenclave} and the rest, with
 * gramine-sgx-sign's defaults), or all of them come from measuring a Gramine enclave ({@code
 * --gramine-manifest} with {@code --libpal}), which fixes MRENCLAVE, attributes and ISV values;
 * only the date stays free.
 */
public final class SigStructFieldOptions {
  @Option(
      names = "--mrenclave",
      paramLabel = "HEX",
      description = "MRENCLAVE to sign (64 hex digits).")
  String mrEnclave;

  @Option(
      names = "--gramine-manifest",
      paramLabel = "X.manifest.sgx",
      description =
          "Instead of the field options: measure this Gramine v1.9 manifest (with --libpal) and sign what gramine-sgx-sign would.")
  Path gramineManifest;

  @Option(
      names = "--libpal",
      paramLabel = "libpal.so",
      description = "Gramine's libpal.so, with --gramine-manifest.")
  Path libpal;

  @Option(names = "--isvprodid", paramLabel = "N", description = "ISVPRODID, 0..65535 (default 0).")
  Integer isvProdId;

  @Option(names = "--isvsvn", paramLabel = "N", description = "ISVSVN, 0..65535 (default 0).")
  Integer isvSvn;

  @Option(
      names = "--debug",
      description = "Set the DEBUG attribute: a debugger can read the enclave's memory.")
  boolean debug;

  @Option(
      names = "--misc-select",
      paramLabel = "H",
      converter = U32Hex.class,
      description = "MISCSELECT, hex (default 0).")
  Long miscSelect;

  @Option(
      names = "--misc-mask",
      paramLabel = "H",
      converter = U32Hex.class,
      description = "MISCMASK, hex (default ffffffff).")
  Long miscMask;

  @Option(
      names = "--attributes",
      paramLabel = "FLAGS:XFRM",
      converter = Attributes.class,
      description = "ATTRIBUTES flags and XFRM, hex (default 4:3, 64-bit mode with x87 and SSE).")
  SgxAttributes attributes;

  @Option(
      names = "--attribute-mask",
      paramLabel = "FLAGS:XFRM",
      converter = Attributes.class,
      description = "ATTRIBUTEMASK, hex (default ffffffffffffffff:fffffffffff9ff1b).")
  SgxAttributes attributeMask;

  @Option(
      names = "--vendor",
      paramLabel = "H",
      converter = U32Hex.class,
      description = "VENDOR, hex: 8086 for Intel, else 0 (default).")
  Long vendor;

  @Mixin SigningDateOption date;

  /** The signed fields; for a Gramine enclave this measures it, which reads both files. */
  public SigStructBody body() throws IOException {
    if (gramineManifest != null) {
      return gramineBody();
    }
    if (libpal != null) {
      throw new ErrorReporter.UsageError("--libpal goes with --gramine-manifest");
    }
    if (mrEnclave == null) {
      throw new ErrorReporter.UsageError(
          "give --mrenclave HEX, or --gramine-manifest X.manifest.sgx with --libpal");
    }
    SigStructBody.Builder b =
        SigStructBody.builder()
            .date(date.sigStructDate())
            .enclaveHash(HexArgument.exactly("--mrenclave", mrEnclave, 32));
    if (isvProdId != null) {
      b.isvProdId(u16("--isvprodid", isvProdId));
    }
    if (isvSvn != null) {
      b.isvSvn(u16("--isvsvn", isvSvn));
    }
    if (miscSelect != null) {
      b.miscSelect(miscSelect);
    }
    if (miscMask != null) {
      b.miscMask(miscMask);
    }
    if (attributes != null) {
      b.attributes(attributes);
    }
    if (debug) {
      b.debug(true);
    }
    if (attributeMask != null) {
      b.attributeMask(attributeMask);
    }
    if (vendor != null) {
      b.vendor(vendor);
    }
    return b.build();
  }

  private SigStructBody gramineBody() throws IOException {
    List<String> conflicting = new ArrayList<>();
    addIf(conflicting, mrEnclave != null, "--mrenclave");
    addIf(conflicting, isvProdId != null, "--isvprodid");
    addIf(conflicting, isvSvn != null, "--isvsvn");
    addIf(conflicting, debug, "--debug");
    addIf(conflicting, miscSelect != null, "--misc-select");
    addIf(conflicting, miscMask != null, "--misc-mask");
    addIf(conflicting, attributes != null, "--attributes");
    addIf(conflicting, attributeMask != null, "--attribute-mask");
    addIf(conflicting, vendor != null, "--vendor");
    if (!conflicting.isEmpty()) {
      throw new ErrorReporter.UsageError(
          "--gramine-manifest takes every SIGSTRUCT field from the manifest; drop "
              + String.join(", ", conflicting));
    }
    if (libpal == null) {
      throw new ErrorReporter.UsageError(
          "--gramine-manifest needs --libpal libpal.so to measure the enclave");
    }
    // GramineSigner takes a calendar date, as gramine-sgx-sign does; the all-zero word is then
    // written over it, so --date 0000-00-00 works here as with the field options.
    SigStructDate d = date.sigStructDate();
    return GramineSigner.body(
            GramineEnclaveFiles.measure(gramineManifest, libpal),
            d.localDate().orElse(LocalDate.EPOCH))
        .withDate(d);
  }

  private static void addIf(List<String> list, boolean condition, String option) {
    if (condition) {
      list.add(option);
    }
  }

  private static int u16(String option, int value) {
    if (value < 0 || value > 0xffff) {
      throw new ErrorReporter.UsageError(option + " must be 0..65535, got " + value);
    }
    return value;
  }

  /** A 32-bit field in hex, with or without {@code 0x}. */
  static final class U32Hex implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      String digits = value.startsWith("0x") || value.startsWith("0X") ? value.substring(2) : value;
      if (digits.isEmpty()
          || digits.length() > 8
          || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new TypeConversionException(
            "'" + value + "' is not a 32-bit hex number (up to 8 hex digits)");
      }
      return Long.parseLong(digits, 16);
    }
  }

  /** ATTRIBUTES in the {@code FLAGS:XFRM} notation. */
  static final class Attributes implements ITypeConverter<SgxAttributes> {
    @Override
    public SgxAttributes convert(String value) {
      try {
        return SgxAttributes.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
