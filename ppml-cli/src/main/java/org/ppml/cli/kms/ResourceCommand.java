package org.ppml.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.InputFile;
import org.ppml.cli.OutputFile;
import org.ppml.kms.store.ResourceStore;
import org.ppml.kmsclient.broker.KbsKms;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ppml kms resource put|get|list|delete}: KBS resources on our broker, through {@code
 * /admin/v1/resources}. A resource is what {@code GET /kbs/v0/resource/<repo>/<type>/<tag>}
 * releases to an attested TEE key; {@code ppml/keys/<N>} is what a {@code kbs+https} reader fetches
 * as the data key of key name N. It is not the primary key N of {@code ppml kms keys}: the two are
 * separate records with separate policies (docs/key-broker.md).
 */
@Command(
    name = "resource",
    mixinStandardHelpOptions = true,
    description =
        "Store, read, list and delete KBS resources (repo/type/tag), each with its own release"
            + " policy; ppml/keys/NAME is the data key kbs+https readers fetch for key name NAME.",
    subcommands = {
      ResourceCommand.Put.class,
      ResourceCommand.Get.class,
      ResourceCommand.ListCmd.class,
      ResourceCommand.Delete.class
    })
public final class ResourceCommand {
  /** Checks {@code repo/type/tag} as the broker does, so a typo fails before any request. */
  static String checkedPath(String path) {
    String[] p = path.split("/", -1);
    if (p.length != 3 || !ResourceStore.validPath(p[0], p[1], p[2])) {
      throw new ErrorReporter.UsageError(
          "resource path '"
              + path
              + "' must be <repo>/<type>/<tag>, each 1..128 of letters, digits, '.', '_', '-'"
              + " (not starting with '.', '_' or '-')");
    }
    return path;
  }

  @Command(
      name = "put",
      mixinStandardHelpOptions = true,
      description = "Store (or replace) a resource from a file, with an optional release policy.")
  static final class Put extends AdminCommand {
    @Parameters(
        index = "0",
        paramLabel = "PATH",
        description = "repo/type/tag, e.g. ppml/keys/sales")
    String path;

    @Option(
        names = "--file",
        required = true,
        paramLabel = "FILE",
        description = "The resource content (at most 1 MiB); a data key is 32 raw bytes.")
    Path file;

    @Option(
        names = "--policy",
        paramLabel = "FILE",
        description =
            "Release policy JSON (docs/architecture.md); without it the broker's strict default applies.")
    Path policy;

    @Override
    void act(KeyBrokerAdminClient admin, CommandOutput out) throws IOException {
      checkedPath(path);
      String policyJson = policy == null ? null : PolicyFile.read(policy);
      byte[] content = InputFile.read(file, "resource", ResourceStore.MAX_RESOURCE);
      int length = content.length;
      try {
        admin.putResource(path, content, policyJson);
      } finally {
        Arrays.fill(content, (byte) 0);
      }
      if (path.startsWith(KbsKms.RESOURCE_PREFIX) && length != 32) {
        out.note(
            "note: "
                + path
                + " is "
                + length
                + " bytes; kbs+https readers take exactly 32 bytes as a data key (16, 24 or 32"
                + " as an explicit Parquet key)");
      }
      ObjectNode result = CommandOutput.object();
      result.put("path", path);
      result.put("bytes", length);
      result.put("policy", policyJson != null);
      out.result(result);
      out.fields(result);
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description =
          "Read a resource back as an administrator into a new owner-only file; its policy is"
              + " printed, never its content.")
  static final class Get extends AdminCommand {
    @Parameters(index = "0", paramLabel = "PATH", description = "repo/type/tag")
    String path;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "FILE",
        description = "Where to write the content (mode 0600, atomically).")
    Path outFile;

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Override
    void act(KeyBrokerAdminClient admin, CommandOutput out) throws IOException {
      checkedPath(path);
      KeyBrokerAdminClient.StoredResource r = admin.getResource(path);
      int length = r.content().length;
      try {
        OutputFile.writeSecret(outFile, r.content(), force);
      } finally {
        Arrays.fill(r.content(), (byte) 0);
      }
      ObjectNode result = CommandOutput.object();
      result.put("path", path);
      result.put("bytes", length);
      result.put("out", outFile.toString());
      JsonNode policy = r.policy();
      if (policy == null) {
        result.putNull("policy");
      } else {
        result.set("policy", policy);
      }
      out.result(result);
      out.fields(result);
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List resource paths, whether each has its own policy, and when it was stored.")
  static final class ListCmd extends AdminCommand {
    @Override
    void act(KeyBrokerAdminClient admin, CommandOutput out) throws IOException {
      ObjectNode result = CommandOutput.object();
      var list = result.putArray("resources");
      for (JsonNode r : admin.listResources()) {
        list.add(r);
        out.line(
            r.path("path").asText()
                + "  policy="
                + (r.path("policy").asBoolean() ? "own" : "default")
                + "  updated="
                + r.path("updated").asText());
      }
      out.result(result);
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a resource; readers of it get a missing-resource refusal afterwards.")
  static final class Delete extends AdminCommand {
    @Parameters(index = "0", paramLabel = "PATH", description = "repo/type/tag")
    String path;

    @Override
    void act(KeyBrokerAdminClient admin, CommandOutput out) throws IOException {
      checkedPath(path);
      admin.deleteResource(path);
      ObjectNode result = CommandOutput.object();
      result.put("path", path);
      result.put("deleted", true);
      out.result(result);
      out.fields(result);
    }
  }
}
