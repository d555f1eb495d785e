package org.ppml.cli.kms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.ppml.cli.CommandOutput;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ppml kms policy set|get}: the release policy of one primary key. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = "Set or show the release policy (docs/architecture.md) of a primary key.",
    subcommands = {PolicyCommand.Set.class, PolicyCommand.Get.class})
public final class PolicyCommand {
  /**
   * Prints the policy as the broker stored it: the object itself with --json, its fields otherwise.
   */
  static void print(CommandOutput out, JsonNode policy) {
    ObjectNode result = policy.isObject() ? (ObjectNode) policy : CommandOutput.object();
    out.result(result);
    out.fields(result);
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = "Replace a key's policy; prints the policy as stored.")
  static final class Set extends AdminCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME")
    String name;

    @Option(
        names = "--policy",
        required = true,
        paramLabel = "FILE",
        description = "Policy JSON, e.g. the policy.json of `ppml gramine manifest`.")
    Path policy;

    @Override
    void act(KeyBrokerAdminClient admin, CommandOutput out) throws IOException {
      print(out, admin.setPolicy(name, PolicyFile.read(policy)));
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Show a key's policy (the strict default if none was set).")
  static final class Get extends AdminCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME")
    String name;

    @Override
    void act(KeyBrokerAdminClient admin, CommandOutput out) throws IOException {
      print(out, admin.getPolicy(name));
    }
  }
}
