package org.ppml.cli.enclave;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputOptions;
import org.ppml.enclave.sgx.SgxsFormatException;
import org.ppml.enclave.sgx.SgxsMeasurement;
import org.ppml.enclave.sgx.SgxsReader;
import org.ppml.graphene.layout.GramineMeasurement;
import org.ppml.graphene.layout.GramineMeasurementReport;
import org.ppml.graphene.layout.MemoryArea;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ppml enclave measure}: MRENCLAVE without SGX hardware. */
@Command(
    name = "measure",
    mixinStandardHelpOptions = true,
    description = {
      "Compute MRENCLAVE without SGX hardware: of a Fortanix SGXS measurement stream (--sgxs), or of a Gramine v1.9 enclave from its exact .manifest.sgx and libpal.so (--gramine-manifest with --libpal), with its layout and attributes."
    })
public final class MeasureCommand implements Callable<Integer> {
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(
        names = "--sgxs",
        paramLabel = "FILE",
        description = "A Fortanix SGXS (or ESGXS) measurement stream.")
    Path sgxs;

    @Option(
        names = "--gramine-manifest",
        paramLabel = "X.manifest.sgx",
        description = "A Gramine manifest, exactly as gramine-sgx-sign measures it.")
    Path gramineManifest;
  }

  @Option(
      names = "--libpal",
      paramLabel = "libpal.so",
      description = "Gramine's libpal.so, with --gramine-manifest.")
  Path libpal;

  @Override
  public Integer call() throws IOException {
    CommandOutput out =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    if (source.sgxs != null) {
      if (libpal != null) {
        throw new ErrorReporter.UsageError("--libpal goes with --gramine-manifest, not --sgxs");
      }
      measureSgxs(out);
    } else {
      if (libpal == null) {
        throw new ErrorReporter.UsageError("--gramine-manifest needs --libpal libpal.so");
      }
      measureGramine(out);
    }
    return ExitCodes.OK;
  }

  private void measureSgxs(CommandOutput out) throws IOException {
    SgxsMeasurement m;
    // Streamed: an SGXS file of a large enclave is far bigger than what it takes to hash it.
    try (InputStream in = new BufferedInputStream(Files.newInputStream(source.sgxs), 1 << 16)) {
      m = SgxsReader.measure(in);
    } catch (SgxsFormatException e) {
      throw new ErrorReporter.Located(source.sgxs.toString(), e);
    }
    ObjectNode json = CommandOutput.object();
    json.put("mrEnclave", m.mrEnclaveHex());
    json.put("enclaveSize", m.enclaveSize());
    json.put("ssaFramePages", m.ssaFramePages());
    json.put("pagesAdded", m.pagesAdded());
    json.put("chunksMeasured", m.chunksMeasured());
    json.put("chunksUnmeasured", m.chunksUnmeasured());
    json.put("canonical", m.canonical());
    out.result(json);
    out.fields(json);
  }

  private void measureGramine(CommandOutput out) throws IOException {
    GramineMeasurement m = GramineEnclaveFiles.measure(source.gramineManifest, libpal);
    ObjectNode json = CommandOutput.object(GramineMeasurementReport.fields(m));
    out.result(json);
    ObjectNode summary = json.deepCopy();
    summary.remove("layout");
    out.fields(summary);
    out.line("layout:");
    for (MemoryArea area : m.layout()) {
      out.line("  " + area.describe());
    }
  }
}
