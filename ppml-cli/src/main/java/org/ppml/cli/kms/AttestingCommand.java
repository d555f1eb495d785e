package org.ppml.cli.kms;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.ppml.attestation.evidence.EvidenceException;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputOptions;
import org.ppml.kmsclient.broker.KeyBrokerClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What the attested commands share: the broker, the evidence provider, the output mode. */
abstract class AttestingCommand implements Callable<Integer> {
  @Mixin BrokerOptions broker;
  @Mixin EvidenceOptions evidence;
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws IOException, EvidenceException {
    CommandOutput out =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    act(broker.client(evidence.select()), out);
    return ExitCodes.OK;
  }

  abstract void act(KeyBrokerClient client, CommandOutput out) throws IOException;
}
