package org.ppml.graphene.layout;

import java.util.HexFormat;
import java.util.List;
import org.ppml.graphene.manifest.GramineEnclaveAttributes;
import org.ppml.graphene.manifest.GramineSgxSettings;

/**
 * MRENCLAVE of a Gramine enclave, with what produced it: what {@code ppml enclave measure
 * --gramine-manifest} prints.
 *
 * @param mrEnclave the measurement, 32 bytes
 * @param settings the manifest's SGX settings
 * @param attributes the SIGSTRUCT attributes Gramine derives from the manifest
 * @param layout every area in measurement order (see {@link GramineLayout#areas()})
 */
public record GramineMeasurement(
    byte[] mrEnclave,
    GramineSgxSettings settings,
    GramineEnclaveAttributes attributes,
    List<MemoryArea> layout) {

  /** Copies the array and list. */
  public GramineMeasurement {
    mrEnclave = mrEnclave.clone();
    layout = List.copyOf(layout);
  }

  /**
   * @return a copy of the mrEnclave bytes
   */
  @Override
  public byte[] mrEnclave() {
    return mrEnclave.clone();
  }

  /**
   * @return MRENCLAVE as lowercase hex
   */
  public String mrEnclaveHex() {
    return HexFormat.of().formatHex(mrEnclave);
  }
}
