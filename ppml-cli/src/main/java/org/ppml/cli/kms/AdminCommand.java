package org.ppml.cli.kms;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.OutputOptions;
import org.ppml.kmsclient.broker.KeyBrokerAdminClient;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every admin API command shares: the broker, the admin token, the output mode. */
abstract class AdminCommand implements Callable<Integer> {
  @Mixin BrokerOptions broker;
  @Mixin AdminTokenOption adminToken;
  @Mixin OutputOptions output;
  @Spec CommandSpec spec;

  @Override
  public final Integer call() throws IOException {
    CommandOutput out =
        new CommandOutput(output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
    act(broker.admin(adminToken), out);
    return ExitCodes.OK;
  }

  abstract void act(KeyBrokerAdminClient admin, CommandOutput out) throws IOException;
}
