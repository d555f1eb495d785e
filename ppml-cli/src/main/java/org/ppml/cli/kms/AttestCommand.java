package org.ppml.cli.kms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.ppml.cli.CommandOutput;
import org.ppml.kmsclient.broker.KeyBrokerClient;
import picocli.CommandLine.Command;

/**
 * {@code ppml kms attest}: KBS auth and attest, then the claims of the token the broker issued. The
 * token itself is a bearer credential and is not printed.
 */
@Command(
    name = "attest",
    mixinStandardHelpOptions = true,
    description =
        "Attest to the broker (KBS auth + attest) and print the claims of the token it issues.")
final class AttestCommand extends AttestingCommand {
  @Override
  void act(KeyBrokerClient client, CommandOutput out) throws IOException {
    ObjectNode claims = CommandOutput.object(client.attest());
    out.result(claims);
    out.fields(claims);
  }
}
