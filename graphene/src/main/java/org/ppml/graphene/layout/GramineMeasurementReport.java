package org.ppml.graphene.layout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ppml.enclave.sgx.SigStructReport;
import org.ppml.graphene.manifest.GramineEnclaveAttributes;

/**
 * The JSON shape of {@code ppml enclave measure --gramine-manifest … --json}, as an ordered map
 * ready for Jackson, with the same conventions as {@link SigStructReport}.
 */
public final class GramineMeasurementReport {

  /**
   * @param m a measurement
   * @return mrEnclave, enclaveSize, maxThreads, edmm, isvProdId, isvSvn, attributes (attributes,
   *     attributeMask, miscSelect, miscMask, debug) and layout (one entry per area: description,
   *     start, end, size, permissions, measured)
   */
  public static Map<String, Object> fields(GramineMeasurement m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mrEnclave", m.mrEnclaveHex());
    out.put("enclaveSize", m.settings().enclaveSize());
    out.put("maxThreads", m.settings().maxThreads());
    out.put("edmm", m.settings().edmmEnable());
    out.put("isvProdId", m.settings().isvProdId());
    out.put("isvSvn", m.settings().isvSvn());
    GramineEnclaveAttributes a = m.attributes();
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("attributes", SigStructReport.attributes(a.attributes()));
    attrs.put("attributeMask", SigStructReport.attributes(a.attributeMask()));
    attrs.put("miscSelect", String.format("%08x", a.miscSelect()));
    attrs.put("miscMask", String.format("%08x", a.miscMask()));
    attrs.put("debug", a.attributes().debug());
    out.put("attributes", attrs);
    List<Map<String, Object>> layout = new ArrayList<>();
    for (MemoryArea area : m.layout()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("description", area.description());
      e.put("start", String.format("%016x", area.address()));
      e.put("end", String.format("%016x", area.end()));
      e.put("size", area.size());
      e.put("permissions", area.permissions());
      e.put("measured", area.measured());
      layout.add(e);
    }
    out.put("layout", layout);
    return out;
  }

  private GramineMeasurementReport() {}
}
