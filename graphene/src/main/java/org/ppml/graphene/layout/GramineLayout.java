package org.ppml.graphene.layout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ppml.enclave.sgx.EnclaveMeasurement;
import org.ppml.enclave.sgx.SecInfo;
import org.ppml.graphene.elf.ElfProgramHeaders;
import org.ppml.graphene.elf.LoadSegment;
import org.ppml.graphene.manifest.GramineSgxSettings;

/**
 * Where Gramine v1.9 puts everything in an SGX enclave.
 *
 * <p>Areas are placed top-down from the enclave size, in this order: the manifest (its bytes plus a
 * NUL), the SSA frames, the TCS pages, the TLS pages, one stack per thread, one signal stack per
 * thread, then {@code libpal.so} (its PT_LOAD span). Without EDMM, everything between the mmap
 * minimum address and the lowest area is free heap: added, not measured. The enclave base is 0.
 */
public final class GramineLayout {

  static final int PAGE = EnclaveMeasurement.PAGE_SIZE;

  /** Gramine's SSA frame: 4 pages, enough for the XSAVE area of any current CPU. */
  public static final long SSA_FRAME_SIZE = 4L * PAGE;

  /** SSA frames per thread: one for the normal context, one for signal preparation. */
  public static final int SSA_FRAME_NUM = 2;

  /** One TCS page per thread. */
  public static final long TCS_SIZE = PAGE;

  /** One TLS page per thread. */
  public static final long TLS_SIZE = PAGE;

  /** Enclave stack per thread, 256 KiB. */
  public static final long STACK_SIZE = 64L * PAGE;

  /** Enclave signal stack per thread, 64 KiB. */
  public static final long SIG_STACK_SIZE = 16L * PAGE;

  /** Enclave base address. */
  public static final long ENCLAVE_BASE = 0;

  /** Lowest heap address (mmap cannot start at zero). */
  public static final long HEAP_MIN = 0x10000;

  private final GramineSgxSettings settings;
  private final ElfProgramHeaders libpal;
  private final long manifestLength;
  private final long manifestAddr;
  private final long manifestAreaSize;
  private final long ssaAddr;
  private final long tcsAddr;
  private final long tlsAddr;
  private final long[] stacks;
  private final long[] sigStacks;
  private final long palAddr;
  private final long palMapAddr;
  private final long palSize;
  private final List<MemoryArea> freeAreas;

  private GramineLayout(GramineSgxSettings settings, ElfProgramHeaders libpal, long manifestLength)
      throws GramineLayoutException {
    this.settings = settings;
    this.libpal = libpal;
    this.manifestLength = manifestLength;
    int threads = settings.maxThreads();
    long size = settings.enclaveSize();

    if (libpal.loadSegments().isEmpty()) {
      throw new GramineLayoutException("libpal.so has no PT_LOAD segment");
    }
    long mapAddr = Long.MAX_VALUE;
    long mapEnd = 0;
    for (LoadSegment s : libpal.loadSegments()) {
      mapAddr = Math.min(mapAddr, rounddown(s.vaddr()));
      mapEnd = Math.max(mapEnd, roundup(s.vaddr() + s.memSize()));
    }
    this.palMapAddr = mapAddr;
    this.palSize = mapEnd - mapAddr;

    long top = ENCLAVE_BASE + size;
    this.manifestAreaSize = roundup(manifestLength);
    this.manifestAddr = place(top, manifestAreaSize, "manifest");
    this.ssaAddr = place(manifestAddr, threads * SSA_FRAME_SIZE * SSA_FRAME_NUM, "ssa");
    this.tcsAddr = place(ssaAddr, threads * TCS_SIZE, "tcs");
    this.tlsAddr = place(tcsAddr, threads * TLS_SIZE, "tls");
    this.stacks = new long[threads];
    long last = tlsAddr;
    for (int t = 0; t < threads; t++) {
      last = place(last, STACK_SIZE, "stack");
      stacks[t] = last;
    }
    this.sigStacks = new long[threads];
    for (int t = 0; t < threads; t++) {
      last = place(last, SIG_STACK_SIZE, "sig_stack");
      sigStacks[t] = last;
    }
    if (mapAddr > 0) {
      // A PAL linked at a fixed address stays there, as in gramine-sgx-sign.
      if (mapAddr < HEAP_MIN || mapAddr + palSize > last) {
        throw new GramineLayoutException(
            String.format(
                "libpal.so is linked at 0x%x-0x%x, which is "
                    + "not free space between 0x%x and 0x%x",
                mapAddr, mapAddr + palSize, HEAP_MIN, last));
      }
      this.palAddr = mapAddr;
    } else {
      this.palAddr = place(last, palSize, "libpal");
    }

    List<MemoryArea> free = new ArrayList<>();
    if (!settings.edmmEnable()) {
      long lowest = palAddr;
      if (mapAddr > 0 && palAddr + palSize < last) {
        free.add(freeArea(palAddr + palSize, last));
      }
      if (lowest > HEAP_MIN) {
        free.add(freeArea(HEAP_MIN, lowest));
      }
    }
    this.freeAreas = Collections.unmodifiableList(free);
  }

  /**
   * @param settings the manifest's SGX settings
   * @param manifestLength the exact {@code .manifest.sgx} length plus one for the NUL
   * @param libpal the PAL's program headers
   * @return the layout
   * @throws GramineLayoutException if the areas do not fit in the enclave
   */
  public static GramineLayout plan(
      GramineSgxSettings settings, long manifestLength, ElfProgramHeaders libpal)
      throws GramineLayoutException {
    if (manifestLength < 1) {
      throw new IllegalArgumentException("manifest length includes the NUL, so it is at least 1");
    }
    return new GramineLayout(settings, libpal, manifestLength);
  }

  private long place(long below, long areaSize, String what) throws GramineLayoutException {
    long addr = below - areaSize;
    if (addr < HEAP_MIN) {
      throw new GramineLayoutException(
          String.format(
              "sgx.enclave_size 0x%x is not large enough: the %s area "
                  + "(0x%x bytes) would start at %s, below the heap minimum 0x%x; raise sgx.enclave_size or lower "
                  + "sgx.max_threads",
              settings.enclaveSize(),
              what,
              areaSize,
              addr < 0 ? "a negative address" : "0x" + Long.toHexString(addr),
              HEAP_MIN));
    }
    return addr;
  }

  private static MemoryArea freeArea(long from, long to) {
    return new MemoryArea(
        "free", from, to - from, SecInfo.PT_REG | SecInfo.R | SecInfo.W | SecInfo.X, false);
  }

  static long rounddown(long addr) {
    return addr - Math.floorMod(addr, PAGE);
  }

  static long roundup(long addr) {
    long r = Math.floorMod(addr, PAGE);
    return r == 0 ? addr : addr + (PAGE - r);
  }

  /**
   * @return every area in measurement order, libpal as one area per PT_LOAD segment ("code" or
   *     "data") and the free areas last; the list gramine-sgx-sign prints under "Memory:"
   */
  public List<MemoryArea> areas() {
    List<MemoryArea> out = new ArrayList<>();
    long rw = SecInfo.PT_REG | SecInfo.R | SecInfo.W;
    out.add(
        new MemoryArea(
            "manifest", manifestAddr, manifestAreaSize, SecInfo.PT_REG | SecInfo.R, true));
    out.add(
        new MemoryArea(
            "ssa", ssaAddr, settings.maxThreads() * SSA_FRAME_SIZE * SSA_FRAME_NUM, rw, true));
    out.add(new MemoryArea("tcs", tcsAddr, settings.maxThreads() * TCS_SIZE, SecInfo.PT_TCS, true));
    out.add(new MemoryArea("tls", tlsAddr, settings.maxThreads() * TLS_SIZE, rw, true));
    for (long s : stacks) {
      out.add(new MemoryArea("stack", s, STACK_SIZE, rw, true));
    }
    for (long s : sigStacks) {
      out.add(new MemoryArea("sig_stack", s, SIG_STACK_SIZE, rw, true));
    }
    for (LoadSegment seg : libpal.loadSegments()) {
      long flags = segmentFlags(seg);
      long start = rounddown(palBias() + seg.vaddr());
      long end = roundup(palBias() + seg.vaddr() + seg.memSize());
      out.add(
          new MemoryArea(
              (flags & SecInfo.X) != 0 ? "code" : "data", start, end - start, flags, true));
    }
    out.addAll(freeAreas);
    return out;
  }

  static long segmentFlags(LoadSegment seg) {
    long flags = SecInfo.PT_REG;
    if ((seg.flags() & LoadSegment.PF_R) != 0) {
      flags |= SecInfo.R;
    }
    if ((seg.flags() & LoadSegment.PF_W) != 0) {
      flags |= SecInfo.W;
    }
    if ((seg.flags() & LoadSegment.PF_X) != 0) {
      flags |= SecInfo.X;
    }
    return flags;
  }

  /**
   * @return the SGX settings the layout was planned from
   */
  public GramineSgxSettings settings() {
    return settings;
  }

  /**
   * @return the enclave size
   */
  public long enclaveSize() {
    return settings.enclaveSize();
  }

  /**
   * @return the lowest heap address
   */
  public long heapMin() {
    return HEAP_MIN;
  }

  /**
   * @return the highest heap address (exclusive): where libpal starts
   */
  public long heapMax() {
    return palAddr;
  }

  long manifestLength() {
    return manifestLength;
  }

  long manifestAddr() {
    return manifestAddr;
  }

  long manifestAreaSize() {
    return manifestAreaSize;
  }

  long ssaAddr() {
    return ssaAddr;
  }

  long tcsAddr() {
    return tcsAddr;
  }

  long tlsAddr() {
    return tlsAddr;
  }

  long stack(int thread) {
    return stacks[thread];
  }

  long sigStack(int thread) {
    return sigStacks[thread];
  }

  long palAddr() {
    return palAddr;
  }

  /** Added to a segment's p_vaddr to get its enclave address. */
  long palBias() {
    return palAddr - palMapAddr;
  }

  ElfProgramHeaders libpal() {
    return libpal;
  }

  List<MemoryArea> freeAreas() {
    return freeAreas;
  }
}
