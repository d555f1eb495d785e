package org.ppml.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.util.List;
import org.ppml.crypto.CodedFailure;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns any exception a command throws into docs/cli.md behaviour: one line on stderr, the exit
 * code for its kind, an {@code error} object on stdout with {@code --json}, and a stack trace only
 * with {@code --verbose}.
 *
 * <p>The project's exceptions say what they are through {@link CodedFailure}: their code, and
 * whether they are a verdict. Exit 1 (a negative verdict): tampered PPML files, denied KMS
 * requests, attestation failures about well-formed evidence, and SIGSTRUCT signatures that do not
 * verify. Exit 2: everything else, including malformed quotes, SIGSTRUCTs, keys, SGXS streams, ELF
 * files and manifests, a backend without the capability asked for, and any exception that is not a
 * {@link CodedFailure} ({@code io}, {@code crypto} or {@code internal}).
 *
 * <p>Key broker refusals: 401 (not attested, wrong admin token) and 403 (attestation or policy
 * denied) are {@code DENIED}, so exit 1, and the JSON error carries the broker's {@code
 * violations}; an unreachable broker or a failed TLS handshake is {@code UNAVAILABLE}, exit 2.
 */
public final class ErrorReporter implements IExecutionExceptionHandler {

  /** A verdict the command reached on purpose (e.g. "denied") rather than a failure. */
  public static final class NegativeVerdict extends RuntimeException implements CodedFailure {
    private static final long serialVersionUID = 1L;
    private final String code;

    public NegativeVerdict(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    @Override
    public String code() {
      return code;
    }

    @Override
    public boolean isVerdict() {
      return true;
    }
  }

  /** A usage or input problem detected by the command itself. */
  public static final class UsageError extends RuntimeException implements CodedFailure {
    private static final long serialVersionUID = 1L;

    public UsageError(String message) {
      super(message, null, false, false);
    }

    @Override
    public String code() {
      return "usage";
    }

    @Override
    public boolean isVerdict() {
      return false;
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
    return e instanceof CodedFailure f && f.isVerdict() ? ExitCodes.NEGATIVE : ExitCodes.ERROR;
  }

  static String code(Throwable e) {
    if (e instanceof Located l) {
      return code(l.getCause());
    }
    if (e instanceof CodedFailure f) {
      return f.code();
    }
    if (e instanceof GeneralSecurityException) {
      return "crypto";
    }
    if (e instanceof IOException) {
      return "io";
    }
    return "internal";
  }

  /** The reasons behind a verdict (a key broker's policy violations), for the JSON error object. */
  static List<String> violations(Throwable e) {
    if (e instanceof Located l) {
      return violations(l.getCause());
    }
    return e instanceof CodedFailure f ? f.violations() : List.of();
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
