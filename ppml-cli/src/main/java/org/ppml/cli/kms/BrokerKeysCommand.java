package org.ppml.cli.kms;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.keys.PrimaryKeyView;
import org.ppml.crypto.kms.PrimaryKeyInfo;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ppml kms keys create|list|rotate|disable|enable}: the broker's primary keys, through its
 * admin API.
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description =
        "Create, list, rotate, disable and enable the broker's primary keys (never their material).",
    subcommands = {
      BrokerKeysCommand.Create.class,
      BrokerKeysCommand.ListKeys.class,
      BrokerKeysCommand.Rotate.class,
      BrokerKeysCommand.Disable.class,
      BrokerKeysCommand.Enable.class
    })
public final class BrokerKeysCommand {
  static void print(CommandOutput out, String verb, PrimaryKeyInfo k) {
    ObjectNode result = PrimaryKeyView.json(k);
    out.result(result);
    out.line(
        verb
            + " key '"
            + k.name()
            + "' version "
            + k.primaryVersion()
            + (k.enabled() ? "" : " (disabled)"));
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a primary key; without --policy it gets the strict default policy.")
  static final class Create extends AdminCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME")
    String name;

    @Option(
        names = "--policy",
        paramLabel = "FILE",
        description =
            "Release policy JSON (docs/architecture.md), e.g. the policy.json of `ppml gramine manifest`.")
    Path policy;

    @Override
    void act(KeyBrokerAdminClient admin, CommandOutput out) throws IOException {
      print(out, "created", admin.createKey(name, policy == null ? null : PolicyFile.read(policy)));
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List primary keys.")
  static final class ListKeys extends AdminCommand {
    @Override
    void act(KeyBrokerAdminClient admin, CommandOutput out) throws IOException {
      ObjectNode result = CommandOutput.object();
      ArrayNode keys = result.putArray("keys");
      for (PrimaryKeyInfo k : admin.listKeys()) {
        keys.add(PrimaryKeyView.json(k));
        out.line(PrimaryKeyView.line(k));
      }
      out.result(result);
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = "Add a key version; data keys wrapped under old versions still unwrap.")
  static final class Rotate extends AdminCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME")
    String name;

    @Override
    void act(KeyBrokerAdminClient admin, CommandOutput out) throws IOException {
      print(out, "rotated", admin.rotateKey(name));
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Disable a key: the broker releases nothing under it.")
  static final class Disable extends AdminCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME")
    String name;

    @Override
    void act(KeyBrokerAdminClient admin, CommandOutput out) throws IOException {
      print(out, "disabled", admin.disableKey(name));
    }
  }

  @Command(
      name = "enable",
      mixinStandardHelpOptions = true,
      description = "Enable a disabled key again.")
  static final class Enable extends AdminCommand {
    @Option(names = "--name", required = true, paramLabel = "NAME")
    String name;

    @Override
    void act(KeyBrokerAdminClient admin, CommandOutput out) throws IOException {
      print(out, "enabled", admin.enableKey(name));
    }
  }
}
