package org.ppml.attestation.collateral;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A TCB level keyed by a single ISV SVN, as used by QE Identity and by TDX module identities: an
 * enclave (or module) whose SVN is at least {@link #isvSvn()} has {@link #status()}.
 */
public record EnclaveTcbLevel(
    int isvSvn, Instant tcbDate, TcbStatus status, List<String> advisoryIds) {

  public EnclaveTcbLevel {
    advisoryIds = List.copyOf(advisoryIds);
  }

  static EnclaveTcbLevel parse(JsonNode n, String ctx) throws CollateralFormatException {
    if (!n.isObject()) {
      throw new CollateralFormatException(ctx + " must be an object");
    }
    JsonNode tcb = StrictJson.object(n, "tcb", ctx);
    int svn = StrictJson.uint(tcb, "isvsvn", ctx + ".tcb", 0xffff);
    Instant date = StrictJson.instant(n, "tcbDate", ctx);
    TcbStatus status = TcbStatus.parse(StrictJson.text(n, "tcbStatus", ctx), ctx + ".tcbStatus");
    return new EnclaveTcbLevel(svn, date, status, StrictJson.textArray(n, "advisoryIDs", ctx));
  }
}
