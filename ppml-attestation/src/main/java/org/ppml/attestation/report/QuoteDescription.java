package org.ppml.attestation.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.attestation.quote.EnclaveReport;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.TdReport;

/**
 * The {@code ppml quote show --json} object: every parsed field of a quote, unverified. Names
 * follow the verify report where they overlap; hex is lowercase.
 */
public final class QuoteDescription {
  private QuoteDescription() {}

  public static ObjectNode toJson(Quote q) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("verified", false);
    o.put("teeType", q.teeType().name());
    o.put("quoteVersion", q.version());
    o.put("attestationKeyType", q.header().attestationKeyType());
    o.put("headerQeSvn", q.header().qeSvn());
    o.put("headerPceSvn", q.header().pceSvn());
    o.put("qeVendorId", Hex.toHexString(q.header().qeVendorId()));
    o.put("debug", q.body().debug());
    o.put("reportData", Hex.toHexString(q.body().reportData()));
    if (q.body() instanceof EnclaveReport r) {
      o.put("mrEnclave", Hex.toHexString(r.mrEnclave()));
      o.put("mrSigner", Hex.toHexString(r.mrSigner()));
      o.put("isvProdId", r.isvProdId());
      o.put("isvSvn", r.isvSvn());
      o.put("cpuSvn", Hex.toHexString(r.cpuSvn()));
      o.put("miscSelect", String.format("%08x", r.miscSelect()));
      o.put("attributes", Hex.toHexString(r.attributes()));
      o.put("configId", Hex.toHexString(r.configId()));
      o.put("configSvn", r.configSvn());
    } else if (q.body() instanceof TdReport t) {
      o.put("teeTcbSvn", Hex.toHexString(t.teeTcbSvn()));
      o.put("mrSeam", Hex.toHexString(t.mrSeam()));
      o.put("mrSignerSeam", Hex.toHexString(t.mrSignerSeam()));
      o.put("seamAttributes", Hex.toHexString(t.seamAttributes()));
      o.put("tdAttributes", Hex.toHexString(t.tdAttributes()));
      o.put("xfam", Hex.toHexString(t.xfam()));
      o.put("mrTd", Hex.toHexString(t.mrTd()));
      o.put("mrConfigId", Hex.toHexString(t.mrConfigId()));
      o.put("mrOwner", Hex.toHexString(t.mrOwner()));
      o.put("mrOwnerConfig", Hex.toHexString(t.mrOwnerConfig()));
      for (int i = 0; i < 4; i++) {
        o.put("rtmr" + i, Hex.toHexString(t.rtmr(i)));
      }
      if (t.isTd15()) {
        o.put("teeTcbSvn2", Hex.toHexString(t.teeTcbSvn2()));
        o.put("mrServiceTd", Hex.toHexString(t.mrServiceTd()));
      }
    }
    EnclaveReport qe = q.qeCertificationData().qeReport();
    ObjectNode qeNode = o.putObject("qe");
    qeNode.put("mrEnclave", Hex.toHexString(qe.mrEnclave()));
    qeNode.put("mrSigner", Hex.toHexString(qe.mrSigner()));
    qeNode.put("isvProdId", qe.isvProdId());
    qeNode.put("isvSvn", qe.isvSvn());
    o.put("certificationDataType", q.qeCertificationData().certificationData().type());
    return o;
  }
}
