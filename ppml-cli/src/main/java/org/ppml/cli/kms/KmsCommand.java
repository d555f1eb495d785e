package org.ppml.cli.kms;

import picocli.CommandLine.Command;

/** {@code ppml kms}: the key broker, its clients and its administration. */
@Command(
    name = "kms",
    mixinStandardHelpOptions = true,
    description =
        "The PPML key broker: serve it, attest to it, release data keys, administer keys, policies, KBS resources and the audit log.",
    subcommands = {
      ServeCommand.class,
      AttestCommand.class,
      DataKeyCommand.class,
      BrokerKeysCommand.class,
      PolicyCommand.class,
      ResourceCommand.class,
      AuditCommand.class
    })
public final class KmsCommand {}
