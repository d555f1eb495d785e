package org.ppml.cli.files;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.KmsOptions;
import org.ppml.cli.OutputOptions;
import org.ppml.crypto.envelope.HeaderRewrapper;
import org.ppml.crypto.kms.KeyRotation;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCapability;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ppml rewrap}: after {@code keys rotate}, move files' data keys to the newest key version
 * by rewriting only their 1024-byte headers, in place and crash-safe.
 */
@Command(
    name = "rewrap",
    mixinStandardHelpOptions = true,
    description =
        "Re-wrap files' data keys under the newest version of a key; bodies are untouched.")
public final class RewrapCommand implements Callable<Integer> {
  @Mixin KmsOptions kms;
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Option(names = "--key", required = true, paramLabel = "NAME")
  String keyName;

  @Parameters(arity = "1..*", paramLabel = "FILE")
  List<Path> files;

  @Override
  public Integer call() throws IOException {
    CommandOutput out =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    ObjectNode json = CommandOutput.object();
    ArrayNode results = json.putArray("files");
    int changed = 0;
    try (Kms k = kms.open()) {
      HeaderRewrapper rewrapper =
          new HeaderRewrapper(k, KmsCapability.require(k, KeyRotation.class, "re-wrapping files"));
      for (Path input : files) {
        FileTree tree = FileTree.of(input);
        for (Path relative : tree.files()) {
          Path file = tree.source(relative);
          if (tree.directory() && FileTree.isMarker(file)) {
            continue;
          }
          HeaderRewrapper.Result r = rewrapper.rewrap(file, keyName);
          changed += r.changed() ? 1 : 0;
          results
              .addObject()
              .put("file", file.toString())
              .put("oldVersion", r.oldVersion())
              .put("newVersion", r.newVersion())
              .put("recovered", r.recovered());
          out.line(
              file
                  + ": "
                  + (r.changed()
                      ? "v" + r.oldVersion() + " -> v" + r.newVersion()
                      : "already at v" + r.newVersion())
                  + (r.recovered() ? " (completed an interrupted rewrap)" : ""));
        }
      }
    }
    json.put("rewrapped", changed);
    out.result(json);
    return ExitCodes.OK;
  }
}
