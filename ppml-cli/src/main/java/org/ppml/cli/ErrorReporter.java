package org.ppml.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import org.ppml.attestation.AttestationException;
import org.ppml.attestation.broker.KeyBrokerException;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.attestation.sgx.EnclaveKeyException;
import org.ppml.attestation.sgx.SgxsFormatException;
import org.ppml.attestation.sgx.SigStructFormatException;
import org.ppml.attestation.sgx.SigStructSignatureException;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.kms.KmsException;
import org.ppml.graphene.elf.ElfFormatException;
import org.ppml.graphene.layout.GramineLayoutException;
import org.ppml.graphene.manifest.GramineManifestException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns any exception a command throws into DESIGN.md §9 behaviour: one line on stderr, the exit
 * code for its kind, an {@code error} object on stdout with {@code --json}, and a stack trace only
 * with {@code --verbose}.
 *
 * <p>Exit 1 (a negative verdict): tampered PPML files, denied KMS requests, attestation failures
 * about well-formed evidence, and SIGSTRUCT signatures that do not verify. Exit 2: everything else,
 * including malformed quotes, SIGSTRUCTs, keys, SGXS streams, ELF files and manifests.
 *
 * <p>Key broker refusals: 401 (not attested, wrong admin token) and 403 (attestation or policy
 * denied) are {@code DENIED}, so exit 1, and the JSON error carries the broker's {@code
 * violations}; an unreachable broker or a failed TLS handshake is {@code UNAVAILABLE}, exit 2.
 */
public final class ErrorReporter implements IExecutionExceptionHandler {

  /** A verdict the command reached on purpose (e.g. "denied") rather than a failure. */
  public static final class NegativeVerdict extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public NegativeVerdict(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /** A usage or input problem detected by the command itself. */
  public static final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageError(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * A library failure that does not know which file or option it came from, tagged with it by the
   * command. The exit code and error code are the cause's; the message puts {@code where} first.
   */
  public static final class Located extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String where;

    public Located(String where, Throwable cause) {
      super(where + ": " + cause.getMessage(), cause, false, false);
      this.where = where;
    }

    public String where() {
      return where;
    }
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
    OutputOptions options = findOptions(parsed);
    int exit = exitCode(cause);
    String code = code(cause);
    String message = message(cause);
    cmd.getErr().println("ppml: " + message);
    if (options != null && options.verbose()) {
      cause.printStackTrace(cmd.getErr());
    }
    cmd.getErr().flush();
    if (options != null && options.json()) {
      ObjectNode result = CommandOutput.object();
      ObjectNode error = result.putObject("error").put("code", code).put("message", message);
      List<String> violations = violations(cause);
      if (!violations.isEmpty()) {
        violations.forEach(error.putArray("violations")::add);
      }
      cmd.getOut().println(result);
      cmd.getOut().flush();
    }
    return exit;
  }

  static int exitCode(Throwable e) {
    if (e instanceof Located l) {
      return exitCode(l.getCause());
    }
    if (e instanceof IntegrityException
        || e instanceof NegativeVerdict
        || e instanceof SigStructSignatureException) {
      return ExitCodes.NEGATIVE;
    }
    if (e instanceof AttestationException a) {
      // Malformed evidence is an input error; well-formed evidence that fails a check is a verdict.
      return a.isInputError() ? ExitCodes.ERROR : ExitCodes.NEGATIVE;
    }
    if (e instanceof KmsException k && k.reason() == KmsException.Reason.DENIED) {
      return ExitCodes.NEGATIVE;
    }
    return ExitCodes.ERROR;
  }

  /** Failures whose code is fixed by their type, checked in this order. */
  private static final Map<Class<? extends Throwable>, String> FIXED_CODES = fixedCodes();

  private static Map<Class<? extends Throwable>, String> fixedCodes() {
    Map<Class<? extends Throwable>, String> m = new java.util.LinkedHashMap<>();
    m.put(SigStructSignatureException.class, "sigstruct.signature");
    m.put(SigStructFormatException.class, "sigstruct.format");
    m.put(EnclaveKeyException.class, "enclave.key");
    m.put(SgxsFormatException.class, "sgxs.format");
    m.put(GramineManifestException.class, "gramine.manifest");
    m.put(GramineLayoutException.class, "gramine.layout");
    m.put(ElfFormatException.class, "elf.format");
    m.put(EvidenceException.class, "evidence");
    m.put(GeneralSecurityException.class, "crypto");
    return java.util.Collections.unmodifiableMap(m);
  }

  static String code(Throwable e) {
    if (e instanceof Located l) {
      return code(l.getCause());
    }
    if (e instanceof IntegrityException) {
      return "integrity";
    }
    if (e instanceof AttestationException a) {
      // The library's own code, so `quote show` and `quote verify --json` name a failure alike.
      return a.code();
    }
    for (Map.Entry<Class<? extends Throwable>, String> fixed : FIXED_CODES.entrySet()) {
      if (fixed.getKey().isInstance(e)) {
        return fixed.getValue();
      }
    }
    if (e instanceof NegativeVerdict v) {
      return v.code();
    }
    if (e instanceof KeyBrokerException b && b.problemType() != null) {
      // The broker's type says more than the reason: "kms.policy-denied", "kms.not-attested"
      // (RFC 7807, urn:ppml:kms:…) or, on /kbs/v0, "kms.PolicyDeny", "kms.AttestationError"
      // (Trustee's …/kbs/errors/<Variant>).
      String t = b.problemType();
      return "kms." + t.substring(Math.max(t.lastIndexOf(':'), t.lastIndexOf('/')) + 1);
    }
    if (e instanceof KmsException k) {
      return "kms." + k.reason().name().toLowerCase(java.util.Locale.ROOT);
    }
    if (e instanceof UsageError) {
      return "usage";
    }
    if (e instanceof IOException) {
      return "io";
    }
    return "internal";
  }

  /** The policy violations a key broker named, for the JSON error object. */
  static List<String> violations(Throwable e) {
    if (e instanceof Located l) {
      return violations(l.getCause());
    }
    return e instanceof KeyBrokerException b ? b.violations() : List.of();
  }

  static String message(Throwable e) {
    if (e instanceof Located l) {
      return l.where() + ": " + message(l.getCause());
    }
    if (e instanceof NoSuchFileException n) {
      return "no such file: " + n.getFile();
    }
    if (e instanceof FileAlreadyExistsException f) {
      return "already exists: " + f.getFile() + " (use --force to replace it)";
    }
    if (e instanceof AccessDeniedException a) {
      return "permission denied: " + a.getFile();
    }
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    // One line, always.
    return m.replace('\n', ' ').replace('\r', ' ');
  }

  private static OutputOptions findOptions(ParseResult parsed) {
    ParseResult p = parsed;
    while (p.hasSubcommand()) {
      p = p.subcommand();
    }
    for (Object mixin :
        p.commandSpec().mixins().values().stream().map(m -> m.userObject()).toList()) {
      if (mixin instanceof OutputOptions o) {
        return o;
      }
    }
    return null;
  }
}
