package org.ppml.graphene.layout;

import java.io.OutputStream;
import java.util.Arrays;
import org.ppml.enclave.sgx.EnclaveMeasurement;
import org.ppml.enclave.sgx.SecInfo;
import org.ppml.graphene.elf.ElfFormatException;
import org.ppml.graphene.elf.ElfProgramHeaders;
import org.ppml.graphene.elf.LoadSegment;
import org.ppml.graphene.manifest.GramineEnclaveAttributes;
import org.ppml.graphene.manifest.GramineManifestException;
import org.ppml.graphene.manifest.GramineSgxSettings;

/**
 * Computes MRENCLAVE for a Gramine v1.9 enclave from the exact {@code .manifest.sgx} bytes and
 * {@code libpal.so}, as {@code gramine-sgx-sign} does, without SGX hardware.
 *
 * <p>Pages are generated one at a time and streamed into the digest; the enclave image is never
 * built, so a 64 GiB enclave costs a few seconds and a few kilobytes.
 */
public final class GramineMeasurer {

  /** Largest libpal.so accepted (the real one is about 1 MiB). */
  public static final int MAX_LIBPAL_BYTES = 256 * 1024 * 1024;

  // Gramine v1.9 struct pal_enclave_tcb: PAL_TCB common (self, stack canary, 256-byte LibOS
  // TCB) is followed by the SGX PAL's private fields, 8 bytes each.
  private static final int TLS_SELF = 0;
  private static final int TLS_STACK_PROTECTOR_CANARY = 8;
  private static final int TLS_ENCLAVE_SIZE = 272;
  private static final int TLS_TCS_OFFSET = 280;
  private static final int TLS_INITIAL_STACK_ADDR = 288;
  private static final int TLS_SIG_STACK_LOW = 304;
  private static final int TLS_SIG_STACK_HIGH = 312;
  private static final int TLS_SSA = 328;
  private static final int TLS_GPR = 336;
  private static final int TLS_MANIFEST_SIZE = 416;
  private static final int TLS_HEAP_MIN = 424;
  private static final int TLS_HEAP_MAX = 432;

  /** Until a thread installs its random canary, Gramine's default one is in place. */
  private static final long STACK_PROTECTOR_CANARY_DEFAULT = 0xbadbadbadbadL;

  /** sizeof(sgx_pal_gpr_t): the GPR area sits at the end of the SSA frame. */
  private static final long SGX_GPR_SIZE = 184;

  // sgx_arch_tcs_t (Intel SDM).
  private static final int TCS_OSSA = 16;
  private static final int TCS_NSSA = 28;
  private static final int TCS_OENTRY = 32;
  private static final int TCS_OGS_BASE = 56;
  private static final int TCS_OFS_LIMIT = 64;
  private static final int TCS_OGS_LIMIT = 68;

  /**
   * @param manifestSgx the exact {@code .manifest.sgx} bytes
   * @param libpal the {@code libpal.so} bytes
   * @return MRENCLAVE, layout and attributes
   * @throws GramineManifestException if the manifest is invalid
   * @throws ElfFormatException if libpal.so is malformed
   * @throws GramineLayoutException if the areas do not fit
   */
  public static GramineMeasurement measure(byte[] manifestSgx, byte[] libpal)
      throws GramineManifestException, ElfFormatException, GramineLayoutException {
    return measure(manifestSgx, libpal, null);
  }

  /**
   * As {@link #measure(byte[], byte[])}, also writing the measured stream, which is the enclave's
   * Fortanix SGXS file, to {@code sgxsCopy}.
   *
   * @param manifestSgx the exact {@code .manifest.sgx} bytes
   * @param libpal the {@code libpal.so} bytes
   * @param sgxsCopy where to write the SGXS stream, or null
   * @return MRENCLAVE, layout and attributes
   * @throws GramineManifestException if the manifest is invalid
   * @throws ElfFormatException if libpal.so is malformed
   * @throws GramineLayoutException if the areas do not fit
   */
  public static GramineMeasurement measure(byte[] manifestSgx, byte[] libpal, OutputStream sgxsCopy)
      throws GramineManifestException, ElfFormatException, GramineLayoutException {
    if (libpal.length > MAX_LIBPAL_BYTES) {
      throw new ElfFormatException(
          "libpal.so is " + libpal.length + " bytes, more than " + MAX_LIBPAL_BYTES);
    }
    GramineSgxSettings settings = GramineSgxSettings.fromManifest(manifestSgx);
    GramineEnclaveAttributes attributes = GramineEnclaveAttributes.from(settings);
    ElfProgramHeaders elf = ElfProgramHeaders.parse(libpal);
    GramineLayout layout = GramineLayout.plan(settings, manifestSgx.length + 1L, elf);

    EnclaveMeasurement m =
        new EnclaveMeasurement(
            settings.enclaveSize(), GramineLayout.SSA_FRAME_SIZE / GramineLayout.PAGE, sgxsCopy);
    byte[] page = new byte[GramineLayout.PAGE];
    long rw = SecInfo.PT_REG | SecInfo.R | SecInfo.W;

    // Manifest: its bytes, then the NUL and zero padding that the zeroed page already holds.
    for (long off = 0; off < layout.manifestAreaSize(); off += GramineLayout.PAGE) {
      Arrays.fill(page, (byte) 0);
      if (off < manifestSgx.length) {
        int n = (int) Math.min(GramineLayout.PAGE, manifestSgx.length - off);
        System.arraycopy(manifestSgx, (int) off, page, 0, n);
      }
      m.addPage(layout.manifestAddr() + off, SecInfo.PT_REG | SecInfo.R, page, 0, true);
    }
    int threads = settings.maxThreads();
    long ssaPerThread = GramineLayout.SSA_FRAME_SIZE * GramineLayout.SSA_FRAME_NUM;
    m.addZeroPages(layout.ssaAddr(), threads * ssaPerThread / GramineLayout.PAGE, rw, true);
    for (int t = 0; t < threads; t++) {
      tcsPage(layout, t, page);
      m.addPage(layout.tcsAddr() + t * GramineLayout.TCS_SIZE, SecInfo.PT_TCS, page, 0, true);
    }
    for (int t = 0; t < threads; t++) {
      tlsPage(layout, t, page);
      m.addPage(layout.tlsAddr() + t * GramineLayout.TLS_SIZE, rw, page, 0, true);
    }
    for (int t = 0; t < threads; t++) {
      m.addZeroPages(layout.stack(t), GramineLayout.STACK_SIZE / GramineLayout.PAGE, rw, true);
    }
    for (int t = 0; t < threads; t++) {
      m.addZeroPages(
          layout.sigStack(t), GramineLayout.SIG_STACK_SIZE / GramineLayout.PAGE, rw, true);
    }
    for (LoadSegment seg : elf.loadSegments()) {
      loadSegment(m, layout, seg, libpal, page);
    }
    for (MemoryArea free : layout.freeAreas()) {
      m.addZeroPages(free.address(), free.size() / GramineLayout.PAGE, free.secInfoFlags(), false);
    }
    return new GramineMeasurement(m.finish(), settings, attributes, layout.areas());
  }

  private static void tcsPage(GramineLayout l, int t, byte[] page) {
    Arrays.fill(page, (byte) 0);
    long base = GramineLayout.ENCLAVE_BASE;
    putU64(page, TCS_OSSA, ssa(l, t) - base);
    putU32(page, TCS_NSSA, GramineLayout.SSA_FRAME_NUM);
    putU64(page, TCS_OENTRY, l.palAddr() + l.libpal().entryPoint() - base);
    putU64(page, TCS_OGS_BASE, l.tlsAddr() - base + (long) t * GramineLayout.PAGE);
    putU32(page, TCS_OFS_LIMIT, 0xfff);
    putU32(page, TCS_OGS_LIMIT, 0xfff);
  }

  private static void tlsPage(GramineLayout l, int t, byte[] page) {
    Arrays.fill(page, (byte) 0);
    long base = GramineLayout.ENCLAVE_BASE;
    putU64(page, TLS_SELF, l.tlsAddr() + (long) t * GramineLayout.PAGE);
    putU64(page, TLS_STACK_PROTECTOR_CANARY, STACK_PROTECTOR_CANARY_DEFAULT);
    putU64(page, TLS_ENCLAVE_SIZE, l.enclaveSize());
    putU64(page, TLS_TCS_OFFSET, l.tcsAddr() - base + (long) t * GramineLayout.TCS_SIZE);
    putU64(page, TLS_INITIAL_STACK_ADDR, l.stack(t) + GramineLayout.STACK_SIZE);
    putU64(page, TLS_SIG_STACK_LOW, l.sigStack(t));
    putU64(page, TLS_SIG_STACK_HIGH, l.sigStack(t) + GramineLayout.SIG_STACK_SIZE);
    putU64(page, TLS_SSA, ssa(l, t));
    putU64(page, TLS_GPR, ssa(l, t) + GramineLayout.SSA_FRAME_SIZE - SGX_GPR_SIZE);
    putU64(page, TLS_MANIFEST_SIZE, l.manifestLength());
    putU64(page, TLS_HEAP_MIN, l.heapMin());
    putU64(page, TLS_HEAP_MAX, l.heapMax());
  }

  private static long ssa(GramineLayout l, int t) {
    return l.ssaAddr() + GramineLayout.SSA_FRAME_SIZE * GramineLayout.SSA_FRAME_NUM * t;
  }

  /**
   * Loads one PT_LOAD segment page by page. A page holds file bytes only where they fall inside
   * [p_offset, p_offset + p_filesz); the rest (alignment slack, bss) is zero.
   */
  private static void loadSegment(
      EnclaveMeasurement m, GramineLayout l, LoadSegment seg, byte[] elf, byte[] page) {
    long flags = GramineLayout.segmentFlags(seg);
    long addr = l.palBias() + seg.vaddr();
    long fileBase = GramineLayout.rounddown(seg.fileOffset());
    long memBase = GramineLayout.rounddown(addr);
    long memEnd = GramineLayout.roundup(addr + seg.memSize());
    long dataStart = seg.fileOffset();
    long dataEnd = seg.fileOffset() + seg.fileSize();
    for (long p = memBase; p < memEnd; p += GramineLayout.PAGE) {
      Arrays.fill(page, (byte) 0);
      long start = p - memBase + fileBase;
      long from = Math.max(start, dataStart);
      long to = Math.min(start + GramineLayout.PAGE, dataEnd);
      if (from < to) {
        System.arraycopy(elf, (int) from, page, (int) (from - start), (int) (to - from));
      }
      m.addPage(p - GramineLayout.ENCLAVE_BASE, flags, page, 0, true);
    }
  }

  private static void putU64(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  private static void putU32(byte[] b, int off, long v) {
    for (int i = 0; i < 4; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }

  private GramineMeasurer() {}
}
