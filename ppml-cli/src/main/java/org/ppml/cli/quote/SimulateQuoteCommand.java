package org.ppml.cli.quote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.ppml.attestation.evidence.Evidence;
import org.ppml.attestation.evidence.EvidenceProvider;
import org.ppml.attestation.simulated.DevHome;
import org.ppml.attestation.simulated.SimulatedMeasurement;
import org.ppml.attestation.simulated.SimulatedSgxProvider;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.HexArgument;
import org.ppml.cli.OutputFile;
import org.ppml.cli.OutputOptions;
import org.ppml.cli.dev.DevHomeOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ppml quote simulate}: a simulated SGX v3 quote from the dev home, for dev tooling and for
 * protocol tests written outside our code (a KBS client in another language, say).
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Write a simulated SGX v3 quote (DEBUG set, signed through the dev home's PKI).",
      "Only `ppml quote verify --dev` trusts it, and reports it as simulated."
    })
public final class SimulateQuoteCommand implements Callable<Integer> {
  @Mixin OutputOptions output;
  @Mixin DevHomeOption devHome;
  @Spec CommandSpec spec;

  @Option(
      names = "--report-data",
      required = true,
      paramLabel = "HEX",
      description =
          "REPORTDATA, up to 64 bytes of hex; shorter values are zero-padded (as KBS pads its SHA-384).")
  String reportData;

  @Option(
      names = "--mrenclave",
      paramLabel = "HEX",
      description =
          "Stand-in MRENCLAVE (32 bytes of hex); default: SHA-256 over the jars on this JVM's class path.")
  String mrEnclave;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the binary quote.")
  Path out;

  @Override
  public Integer call() throws Exception {
    CommandOutput result =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    byte[] data =
        Arrays.copyOf(
            HexArgument.atMost("--report-data", reportData, EvidenceProvider.REPORT_DATA_SIZE),
            EvidenceProvider.REPORT_DATA_SIZE);
    byte[] measurement =
        mrEnclave != null
            ? HexArgument.exactly("--mrenclave", mrEnclave, 32)
            : SimulatedMeasurement.mrEnclaveOfClassPath();
    SimulatedSgxProvider provider = DevHome.open(devHome.directory()).provider(measurement);
    Evidence evidence = provider.evidence(data);
    byte[] quote = evidence.quote();
    OutputFile.write(out, quote);

    HexFormat hex = HexFormat.of();
    ObjectNode json = CommandOutput.object();
    json.put("out", out.toString());
    json.put("bytes", quote.length);
    json.put("provider", evidence.provider());
    json.put("teeType", evidence.teeType().name());
    json.put("mrEnclave", hex.formatHex(provider.mrEnclave()));
    json.put("mrSigner", hex.formatHex(provider.mrSigner()));
    json.put("reportData", hex.formatHex(data));
    result.result(json);
    result.fields(json);
    return ExitCodes.OK;
  }
}
