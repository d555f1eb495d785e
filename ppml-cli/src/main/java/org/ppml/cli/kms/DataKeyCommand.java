package org.ppml.cli.kms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;
import org.ppml.cli.CommandOutput;
import org.ppml.crypto.kms.DataKey;
import org.ppml.crypto.kms.WrappedKey;
import org.ppml.kmsclient.broker.KeyBrokerClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ppml kms datakey --key N}: an attested release of a fresh data key. It proves the key's
 * policy admits this evidence and that the JWE decrypts with the attested key; it prints only the
 * wrapped form. The plaintext is zeroed at once: a data key on a terminal or in a log is a leaked
 * key.
 */
@Command(
    name = "datakey",
    mixinStandardHelpOptions = true,
    description = {
      "Attest, then have the broker release a fresh data key under a primary key.",
      "Prints keyName, keyVersion and wrappedKey (base64), never the plaintext. Exit 1 with the violations when the policy denies it."
    })
final class DataKeyCommand extends AttestingCommand {
  @Option(
      names = "--key",
      required = true,
      paramLabel = "NAME",
      description = "The primary key's name.")
  String key;

  @Override
  void act(KeyBrokerClient client, CommandOutput out) throws IOException {
    WrappedKey wrapped;
    try (DataKey released = client.dataKey(key)) {
      wrapped = released.wrapped();
    }
    ObjectNode result = CommandOutput.object();
    result.put("keyName", wrapped.keyName());
    result.put("keyVersion", wrapped.keyVersion());
    result.put("wrappedKey", Base64.getEncoder().encodeToString(wrapped.wrapped()));
    out.result(result);
    out.fields(result);
  }
}
