package org.ppml.cli.kms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.InputFile;
import org.ppml.kms.http.KeyBrokerServer;
import org.ppml.kmsclient.broker.PpmlBrokerKmsProvider;
import picocli.CommandLine.Option;

/**
 * {@code --admin-token-file F}: where an admin command finds its token. The token is read from a
 * file (or the environment), never from the command line, where {@code ps} and shell history would
 * show it.
 */
public final class AdminTokenOption {
  private static final long MAX_TOKEN_FILE = 4096;

  @Option(
      names = "--admin-token-file",
      paramLabel = "FILE",
      description =
          "File holding the admin token. Default: $"
              + PpmlBrokerKmsProvider.ADMIN_TOKEN_ENV
              + ", else the admin-token file beside --endpoint.")
  Path file;

  /**
   * The token: from {@code --admin-token-file}, the environment, or the broker's data directory.
   */
  String read(BrokerOptions broker) throws IOException {
    if (file != null) {
      return fromFile(file);
    }
    String env = System.getenv(PpmlBrokerKmsProvider.ADMIN_TOKEN_ENV);
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    Path dataDir = broker.endpointDirectory();
    if (dataDir != null && Files.isRegularFile(dataDir.resolve(KeyBrokerServer.ADMIN_TOKEN_FILE))) {
      return fromFile(dataDir.resolve(KeyBrokerServer.ADMIN_TOKEN_FILE));
    }
    throw new ErrorReporter.UsageError(
        "an admin command needs --admin-token-file FILE (or $"
            + PpmlBrokerKmsProvider.ADMIN_TOKEN_ENV
            + ")");
  }

  private static String fromFile(Path f) throws IOException {
    String token =
        new String(InputFile.read(f, "admin token", MAX_TOKEN_FILE), StandardCharsets.UTF_8)
            .strip();
    if (token.isEmpty() || token.lines().count() != 1) {
      // Say what is wrong without echoing the file, which may hold a secret.
      throw new ErrorReporter.UsageError(
          "--admin-token-file " + f + " does not hold one admin token line");
    }
    return token;
  }
}
