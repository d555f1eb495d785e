package org.ppml.cli.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.dcap.CrlMode;
import org.ppml.attestation.dcap.PinnedRoot;
import org.ppml.attestation.dcap.QuoteVerifier;
import org.ppml.attestation.report.QuoteVerification;
import org.ppml.attestation.report.QuoteVerificationReport;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.InputFile;
import org.ppml.cli.OutputOptions;
import org.ppml.cli.Rfc3339Converter;
import org.ppml.cli.dev.DevHomeOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ppml quote verify}: DCAP verification against a collateral bundle, then the policy.
 *
 * <p>The report object is printed whatever the verdict, so a caller reading {@code --json} sees why
 * a quote failed ({@code error}, {@code policy.violations}) as well as the exit code.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verify an SGX or TDX DCAP quote (binary or hex text) against a collateral bundle, and optionally a policy.",
      "Exit 0 verified (and allowed), 1 not verified or denied, 2 unreadable input."
    })
public final class VerifyQuoteCommand implements Callable<Integer> {
  /** The policy format has no size constant of its own; a real policy is a few hundred bytes. */
  private static final int MAX_POLICY_BYTES = 1 << 20;

  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "QUOTE", description = "Quote file, binary or hex text.")
  Path quote;

  @Option(
      names = "--collateral",
      required = true,
      paramLabel = "BUNDLE",
      description = "Collateral bundle JSON (sgx_ql_qve_collateral_t field names).")
  Path collateral;

  @Option(
      names = "--at",
      paramLabel = "RFC3339",
      converter = Rfc3339Converter.class,
      description = "Verification time; default now.")
  Instant at;

  @Option(
      names = "--root",
      paramLabel = "CERT",
      description = "Pin this root CA (PEM or DER) instead of the Intel SGX Root CA.")
  Path root;

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description = "Key-release policy JSON to evaluate the verified quote against.")
  Path policy;

  @Option(
      names = "--crl",
      paramLabel = "strict|lenient|off",
      defaultValue = "strict",
      converter = CrlModeConverter.class,
      description =
          "CRL handling: strict (default) requires fresh CRLs, lenient reports stale ones, off skips them.")
  CrlMode crl;

  @Option(
      names = "--dev",
      description =
          "Trust a development root (simulated SGX): --root, else the dev home's root. Results are marked simulated (as they are under a dev root given by --root alone).")
  boolean dev;

  @Mixin DevHomeOption devHome;

  @Override
  public Integer call() throws IOException {
    CommandOutput out =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    QuoteVerifier verifier = new QuoteVerifier(pinnedRoot(), crl);
    byte[] quoteBytes = QuoteFile.read(quote);
    byte[] bundle = InputFile.read(collateral, "collateral bundle", CollateralBundle.MAX_SIZE);
    byte[] policyBytes = policy == null ? null : InputFile.read(policy, "policy", MAX_POLICY_BYTES);

    QuoteVerificationReport report =
        QuoteVerification.run(
            quoteBytes, bundle, policyBytes, verifier, at != null ? at : Instant.now());
    ObjectNode json = report.toJson();
    out.result(json);
    out.fields(json);
    int exit = report.exitCode();
    if (exit != ExitCodes.OK) {
      // A failure is one stderr line (docs/cli.md); the notes below are in the JSON anyway.
      out.note("ppml: " + verdict(json, exit));
      return exit;
    }
    for (JsonNode note : json.path("crlNotes")) {
      out.note("ppml: note: " + note.asText());
    }
    if (json.path("simulated").asBoolean()) {
      out.note("ppml: note: simulated evidence (development root), not proof of a real enclave");
    }
    return exit;
  }

  private PinnedRoot pinnedRoot() throws IOException {
    if (devHome.given() && !dev) {
      throw new ErrorReporter.UsageError("--dev-home only applies with --dev");
    }
    if (root != null) {
      // Without --dev a dev root (ppml dev init's) is still recognised by its subject and its
      // results marked simulated: pinning it by mistake must not pass simulated evidence as real.
      return PinnedRoot.fromFile(root, dev);
    }
    if (!dev) {
      return PinnedRoot.intel();
    }
    try {
      return DevHome.open(devHome.directory()).pinnedRoot();
    } catch (GeneralSecurityException e) {
      throw new ErrorReporter.Located("--dev-home " + devHome.directory(), e);
    }
  }

  /** The one stderr line for exit 1 or 2: what failed, and in which input. */
  private String verdict(ObjectNode json, int exit) {
    JsonNode error = json.path("error");
    if (error.isObject()) {
      String code = error.path("code").asText();
      Path where =
          switch (code) {
            case "COLLATERAL_FORMAT" -> collateral;
            case "POLICY_FORMAT" -> policy;
            default -> quote;
          };
      return where
          + (exit == ExitCodes.ERROR ? ": cannot verify: " : ": not verified: ")
          + error.path("message").asText()
          + " ("
          + code
          + ")";
    }
    List<String> violations = new ArrayList<>();
    json.path("policy").path("violations").forEach(v -> violations.add(v.asText()));
    return quote + ": denied by policy " + policy + ": " + String.join("; ", violations);
  }
}
