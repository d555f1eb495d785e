package org.ppml.cli;

import org.ppml.cli.bench.BenchCommand;
import org.ppml.cli.crypto.CryptoCommand;
import org.ppml.cli.dev.DevCommand;
import org.ppml.cli.enclave.EnclaveCommand;
import org.ppml.cli.files.DecryptCommand;
import org.ppml.cli.files.EncryptCommand;
import org.ppml.cli.files.InspectCommand;
import org.ppml.cli.files.RewrapCommand;
import org.ppml.cli.gramine.GramineCommand;
import org.ppml.cli.keys.KeysCommand;
import org.ppml.cli.kms.KmsCommand;
import org.ppml.cli.occlum.OcclumCommand;
import org.ppml.cli.parquet.ParquetCommand;
import org.ppml.cli.quickstart.QuickstartCommand;
import org.ppml.cli.quote.QuoteCommand;
import picocli.CommandLine.Command;

/** The top-level {@code ppml} command; it only groups the subcommands. */
@Command(
    name = "ppml",
    mixinStandardHelpOptions = true,
    versionProvider = PpmlVersion.class,
    description =
        "PPML for Spark: encrypted data, attestation-bound key release, confidential Spark.",
    subcommands = {
      QuickstartCommand.class,
      KeysCommand.class,
      EncryptCommand.class,
      DecryptCommand.class,
      InspectCommand.class,
      ParquetCommand.class,
      RewrapCommand.class,
      DevCommand.class,
      QuoteCommand.class,
      EnclaveCommand.class,
      GramineCommand.class,
      CryptoCommand.class,
      BenchCommand.class,
      OcclumCommand.class,
      KmsCommand.class,
    })
public final class PpmlCommand {}
