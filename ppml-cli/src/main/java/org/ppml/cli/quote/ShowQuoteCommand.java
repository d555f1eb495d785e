package org.ppml.cli.quote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ppml.attestation.quote.Quote;
import org.ppml.attestation.quote.QuoteEncoding;
import org.ppml.attestation.quote.QuoteFormatException;
import org.ppml.attestation.report.QuoteDescription;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ppml quote show}: every field of a quote, parsed but not verified. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description =
        "Show every field of an SGX or TDX quote (binary or hex text) without verifying it.")
public final class ShowQuoteCommand implements Callable<Integer> {
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "QUOTE", description = "Quote file, binary or hex text.")
  Path quote;

  @Override
  public Integer call() throws IOException {
    CommandOutput out =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    ObjectNode json;
    try {
      json = QuoteDescription.toJson(Quote.parse(QuoteEncoding.decodeFile(QuoteFile.read(quote))));
    } catch (QuoteFormatException e) {
      throw new ErrorReporter.Located(quote.toString(), e);
    }
    out.result(json);
    out.fields(json);
    out.note(
        "ppml: note: not verified; use `ppml quote verify` to check signatures and collateral");
    return ExitCodes.OK;
  }
}
