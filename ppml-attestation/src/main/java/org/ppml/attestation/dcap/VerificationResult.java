package org.ppml.attestation.dcap;

import java.time.Instant;
import java.util.List;
import org.ppml.attestation.AttestationException;
import org.ppml.attestation.collateral.TcbStatus;
import org.ppml.attestation.quote.EnclaveReport;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.TdReport;
import org.ppml.attestation.quote.TeeType;

/**
 * The outcome of verifying one quote: whether it verified, why not, and the attested identity.
 *
 * <p>Report fields (measurements, report data, debug) are read from the quote and are only
 * trustworthy when {@link #verified()} is true; on failure they are kept for diagnosis and are null
 * if the quote could not even be parsed. Fields that do not apply to the TEE type are null.
 */
public final class VerificationResult {
  private final boolean verified;
  private final AttestationException error;
  private final Quote quote;
  private final TcbStatus tcbStatus;
  private final TcbStatus platformTcbStatus;
  private final TcbStatus qeTcbStatus;
  private final TcbStatus tdxModuleTcbStatus;
  private final List<String> advisoryIds;
  private final SgxExtensions pckExtensions;
  private final Integer tcbEvaluationDataNumber;
  private final Instant collateralExpiry;
  private final List<String> crlNotes;
  private final boolean simulated;
  private final Instant verifiedAt;

  private VerificationResult(
      boolean verified,
      AttestationException error,
      Quote quote,
      TcbStatus tcbStatus,
      TcbStatus platformTcbStatus,
      TcbStatus qeTcbStatus,
      TcbStatus tdxModuleTcbStatus,
      List<String> advisoryIds,
      SgxExtensions pckExtensions,
      Integer tcbEvaluationDataNumber,
      Instant collateralExpiry,
      List<String> crlNotes,
      boolean simulated,
      Instant verifiedAt) {
    this.verified = verified;
    this.error = error;
    this.quote = quote;
    this.tcbStatus = tcbStatus;
    this.platformTcbStatus = platformTcbStatus;
    this.qeTcbStatus = qeTcbStatus;
    this.tdxModuleTcbStatus = tdxModuleTcbStatus;
    this.advisoryIds = List.copyOf(advisoryIds);
    this.pckExtensions = pckExtensions;
    this.tcbEvaluationDataNumber = tcbEvaluationDataNumber;
    this.collateralExpiry = collateralExpiry;
    this.crlNotes = List.copyOf(crlNotes);
    this.simulated = simulated;
    this.verifiedAt = verifiedAt;
  }

  static VerificationResult success(
      Quote quote,
      TcbStatus tcbStatus,
      TcbStatus platform,
      TcbStatus qe,
      TcbStatus module,
      List<String> advisoryIds,
      SgxExtensions pck,
      int evaluationDataNumber,
      Instant collateralExpiry,
      List<String> crlNotes,
      boolean simulated,
      Instant at) {
    return new VerificationResult(
        true,
        null,
        quote,
        tcbStatus,
        platform,
        qe,
        module,
        advisoryIds,
        pck,
        evaluationDataNumber,
        collateralExpiry,
        crlNotes,
        simulated,
        at);
  }

  static VerificationResult failure(
      Quote quote,
      AttestationException error,
      List<String> crlNotes,
      boolean simulated,
      Instant at) {
    return new VerificationResult(
        false, error, quote, null, null, null, null, List.of(), null, null, null, crlNotes,
        simulated, at);
  }

  /** True only if every DCAP step passed and the TCB status is not Revoked. */
  public boolean verified() {
    return verified;
  }

  /** Why verification failed ({@link VerificationException} or a format error), or null. */
  public AttestationException error() {
    return error;
  }

  /** The parsed quote, or null if it could not be parsed. */
  public Quote quote() {
    return quote;
  }

  public TeeType teeType() {
    return quote == null ? null : quote.teeType();
  }

  public Integer quoteVersion() {
    return quote == null ? null : quote.version();
  }

  /** The combined TCB status (platform, TDX module and QE), or null if not verified. */
  public TcbStatus tcbStatus() {
    return tcbStatus;
  }

  public TcbStatus platformTcbStatus() {
    return platformTcbStatus;
  }

  public TcbStatus qeTcbStatus() {
    return qeTcbStatus;
  }

  /** The TDX module's TCB status, or null (SGX, or no module identity levels). */
  public TcbStatus tdxModuleTcbStatus() {
    return tdxModuleTcbStatus;
  }

  /** The union of advisory IDs of the chosen platform, module and QE levels, sorted. */
  public List<String> advisoryIds() {
    return advisoryIds;
  }

  private EnclaveReport sgx() {
    return quote != null && quote.body() instanceof EnclaveReport r ? r : null;
  }

  private TdReport td() {
    return quote != null && quote.body() instanceof TdReport r ? r : null;
  }

  public byte[] mrEnclave() {
    return sgx() == null ? null : sgx().mrEnclave();
  }

  public byte[] mrSigner() {
    return sgx() == null ? null : sgx().mrSigner();
  }

  public Integer isvProdId() {
    return sgx() == null ? null : sgx().isvProdId();
  }

  public Integer isvSvn() {
    return sgx() == null ? null : sgx().isvSvn();
  }

  public Boolean debug() {
    return quote == null ? null : quote.body().debug();
  }

  public byte[] reportData() {
    return quote == null ? null : quote.body().reportData();
  }

  public byte[] mrTd() {
    return td() == null ? null : td().mrTd();
  }

  /** RTMR {@code index} of a TD report, or null for SGX. */
  public byte[] rtmr(int index) {
    return td() == null ? null : td().rtmr(index);
  }

  /** The FMSPC from the PCK certificate, or null if verification did not get that far. */
  public byte[] fmspc() {
    return pckExtensions == null ? null : pckExtensions.fmspc();
  }

  public byte[] pceId() {
    return pckExtensions == null ? null : pckExtensions.pceId();
  }

  /** The certified PCK extension values, or null. */
  public SgxExtensions pckExtensions() {
    return pckExtensions;
  }

  /** The lower of the TCB Info's and QE Identity's evaluation data numbers, or null. */
  public Integer tcbEvaluationDataNumber() {
    return tcbEvaluationDataNumber;
  }

  /** The earliest nextUpdate among the collateral used, or null. */
  public Instant collateralExpiry() {
    return collateralExpiry;
  }

  /** Notes about revocation checking: CRLs off, missing or stale CRLs accepted in lenient mode. */
  public List<String> crlNotes() {
    return crlNotes;
  }

  /** True when the pinned root was a development root: simulated SGX evidence. */
  public boolean simulated() {
    return simulated;
  }

  /** The verification time used. */
  public Instant verifiedAt() {
    return verifiedAt;
  }

  @Override
  public String toString() {
    return "VerificationResult[verified="
        + verified
        + (error != null ? ", error=" + error.code() : "")
        + ", tee="
        + teeType()
        + ", tcbStatus="
        + tcbStatus
        + ", advisoryIds="
        + advisoryIds
        + (simulated ? ", simulated" : "")
        + "]";
  }
}
