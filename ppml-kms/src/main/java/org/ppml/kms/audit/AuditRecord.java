package org.ppml.kms.audit;

import java.time.Instant;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;
import org.ppml.attestation.policy.AttestedClaims;

/**
 * One audit entry: who asked for what, with which attested identity, and what the broker decided.
 * It has no field that could hold key material: keys are named, never included.
 *
 * @param id the row id, or 0 before it is stored
 * @param time when it happened
 * @param peer the client's address
 * @param event what was asked, e.g. {@code auth}, {@code attest}, {@code datakey}
 * @param decision {@code allow}, {@code deny} or {@code error}
 * @param keyName the primary key or resource named, or null
 * @param keyVersion the key version, or null
 * @param tee the TEE type, or null
 * @param mrEnclave hex, or null
 * @param mrSigner hex, or null
 * @param isvProdId or null
 * @param isvSvn or null
 * @param debug or null
 * @param tcbStatus or null
 * @param simulated whether the evidence was simulated (dev root)
 * @param violations the policy violations or failure reasons, one per entry
 * @param detail a short free-text note (never secret)
 */
public record AuditRecord(
    long id,
    Instant time,
    String peer,
    String event,
    String decision,
    String keyName,
    Integer keyVersion,
    String tee,
    String mrEnclave,
    String mrSigner,
    Integer isvProdId,
    Integer isvSvn,
    Boolean debug,
    String tcbStatus,
    boolean simulated,
    List<String> violations,
    String detail) {

  /** Decision values. */
  public static final String ALLOW = "allow";

  public static final String DENY = "deny";
  public static final String ERROR = "error";

  public AuditRecord {
    violations = violations == null ? List.of() : List.copyOf(violations);
  }

  /** A record for an event with no attested identity yet. */
  public static AuditRecord of(
      String peer,
      String event,
      String decision,
      String keyName,
      Integer keyVersion,
      boolean simulated,
      List<String> violations,
      String detail) {
    return new AuditRecord(
        0,
        Instant.now(),
        peer,
        event,
        decision,
        keyName,
        keyVersion,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        simulated,
        violations,
        detail);
  }

  /** A record carrying the measurements of {@code claims}. */
  public static AuditRecord of(
      String peer,
      String event,
      String decision,
      String keyName,
      Integer keyVersion,
      AttestedClaims claims,
      List<String> violations,
      String detail) {
    if (claims == null) {
      return of(peer, event, decision, keyName, keyVersion, false, violations, detail);
    }
    return new AuditRecord(
        0,
        Instant.now(),
        peer,
        event,
        decision,
        keyName,
        keyVersion,
        claims.teeType() == null ? null : claims.teeType().name(),
        hex(claims.mrEnclave()),
        hex(claims.mrSigner()),
        claims.isvProdId(),
        claims.isvSvn(),
        claims.debug(),
        claims.tcbStatus() == null ? null : claims.tcbStatus().name(),
        claims.simulated(),
        violations,
        detail);
  }

  private static String hex(byte[] b) {
    return b == null ? null : Hex.toHexString(b);
  }
}
