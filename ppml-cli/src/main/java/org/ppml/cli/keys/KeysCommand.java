package org.ppml.cli.keys;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.ppml.cli.CommandOutput;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.ExitCodes;
import org.ppml.cli.KmsOptions;
import org.ppml.cli.OutputOptions;
import org.ppml.crypto.fs.BoundedFile;
import org.ppml.crypto.fs.FileTooLargeException;
import org.ppml.crypto.kms.KeyAdministration;
import org.ppml.crypto.kms.KeyImport;
import org.ppml.crypto.kms.KeyRotation;
import org.ppml.crypto.kms.Kms;
import org.ppml.crypto.kms.KmsCapability;
import org.ppml.crypto.kms.PrimaryKeyInfo;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Primary-key management. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Create, import, list, rotate and disable primary keys.",
    subcommands = {
      KeysCommand.Create.class,
      KeysCommand.Import.class,
      KeysCommand.ListKeys.class,
      KeysCommand.Rotate.class,
      KeysCommand.Disable.class
    })
public final class KeysCommand {
  /**
   * Shared body of the subcommands: open the KMS, ask it for the capability the subcommand needs (a
   * backend without it is a usage error naming the backend and the operation), act, print.
   */
  abstract static class KeyAction<C> implements Callable<Integer> {
    @Mixin KmsOptions kms;
    @Mixin OutputOptions output;
    @Spec CommandSpec spec;

    private final Class<C> capability;
    private final String operation;

    KeyAction(Class<C> capability, String operation) {
      this.capability = capability;
      this.operation = operation;
    }

    @Override
    public final Integer call() throws IOException {
      CommandOutput out =
          new CommandOutput(
              output.json(), spec.commandLine().getOut(), spec.commandLine().getErr());
      try (Kms k = kms.open()) {
        act(k, KmsCapability.require(k, capability, operation), out);
      }
      return ExitCodes.OK;
    }

    abstract void act(Kms kms, C admin, CommandOutput out) throws IOException;
  }

  static void printKey(CommandOutput out, String verb, PrimaryKeyInfo k, String kms) {
    ObjectNode result = PrimaryKeyView.json(k);
    result.put("kms", kms);
    out.result(result);
    out.line(verb + " key '" + k.name() + "' version " + k.primaryVersion() + " in " + kms);
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a primary key with fresh random material.")
  static final class Create extends KeyAction<KeyAdministration> {
    @Option(names = "--name", required = true, paramLabel = "NAME")
    String name;

    Create() {
      super(KeyAdministration.class, "creating keys");
    }

    @Override
    void act(Kms kms, KeyAdministration admin, CommandOutput out) throws IOException {
      printKey(out, "created", admin.createKey(name), kms.reference());
    }
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description =
          "Import existing key material (bring your own key): 32 bytes for a primary key, or 16/24/32 bytes for an"
              + " explicit key that files name by id (Parquet explicit keys from other tools).")
  static final class Import extends KeyAction<KeyImport> {
    @Option(names = "--name", required = true, paramLabel = "NAME")
    String name;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Material material;

    static final class Material {
      @Option(names = "--key-hex", paramLabel = "HEX", description = "32, 48 or 64 hex digits.")
      String hex;

      @Option(
          names = "--key-file",
          paramLabel = "FILE",
          description =
              "A file holding 32/48/64 hex digits (whitespace around them is ignored), or else the raw key: 32 bytes (16 or 24 for an explicit key).")
      Path file;
    }

    Import() {
      super(KeyImport.class, "importing keys");
    }

    @Override
    void act(Kms kms, KeyImport admin, CommandOutput out) throws IOException {
      byte[] key =
          material.hex != null
              ? parseHex(material.hex.trim(), "--key-hex")
              : readKeyFile(material.file);
      try {
        printKey(out, "imported", admin.importKey(name, key), kms.reference());
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    }

    /**
     * A key file holds hex text or raw bytes. Content that, with surrounding ASCII whitespace
     * removed, is a non-empty, even number of hex digits is hex (so {@code xxd -p} output and a
     * trailing newline work); anything else is the raw key, byte for byte. So a 32-byte file of hex
     * digits is a 16-byte key written in hex, never 32 raw bytes: random key bytes are all hex
     * digits with probability (22/256)^32, about 10^-34, while hex keys are common.
     */
    private static byte[] readKeyFile(Path file) throws IOException {
      String what = "--key-file " + file;
      byte[] raw;
      try {
        raw = BoundedFile.read(file, 1024);
      } catch (FileTooLargeException e) {
        throw new ErrorReporter.UsageError(what + " is larger than a key file can be");
      }
      if (isHexText(raw)) {
        String text = new String(raw, java.nio.charset.StandardCharsets.US_ASCII).strip();
        Arrays.fill(raw, (byte) 0);
        return parseHex(text, what);
      }
      if (raw.length != 16 && raw.length != 24 && raw.length != 32) {
        int length = raw.length;
        Arrays.fill(raw, (byte) 0);
        throw new ErrorReporter.UsageError(
            what
                + " holds "
                + length
                + " bytes that are not hex text; expected 32 raw bytes (16 or 24 for an explicit key), or 32/48/64 hex digits");
      }
      return raw;
    }

    /** Non-empty, even-length hex digits, optionally surrounded by ASCII whitespace. */
    private static boolean isHexText(byte[] content) {
      int start = 0;
      int end = content.length;
      while (start < end && isAsciiSpace(content[start])) {
        start++;
      }
      while (end > start && isAsciiSpace(content[end - 1])) {
        end--;
      }
      if (start == end || (end - start) % 2 != 0) {
        return false;
      }
      for (int i = start; i < end; i++) {
        byte b = content[i];
        if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F'))) {
          return false;
        }
      }
      return true;
    }

    private static boolean isAsciiSpace(byte b) {
      return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static byte[] parseHex(String hex, String what) {
      if (hex.length() != 64 && hex.length() != 48 && hex.length() != 32) {
        throw new ErrorReporter.UsageError(
            what
                + " must be 64 hex digits (32 bytes; 32 or 48 for an explicit key), got "
                + hex.length()
                + " characters");
      }
      try {
        return HexFormat.of().parseHex(hex);
      } catch (IllegalArgumentException e) {
        throw new ErrorReporter.UsageError(what + " is not hexadecimal");
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List primary keys (never their material).")
  static final class ListKeys extends KeyAction<KeyAdministration> {
    ListKeys() {
      super(KeyAdministration.class, "listing keys");
    }

    @Override
    void act(Kms kms, KeyAdministration admin, CommandOutput out) throws IOException {
      ObjectNode result = CommandOutput.object();
      result.put("kms", kms.reference());
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
      description = "Add a new key version; old versions still unwrap.")
  static final class Rotate extends KeyAction<KeyRotation> {
    @Option(names = "--name", required = true, paramLabel = "NAME")
    String name;

    Rotate() {
      super(KeyRotation.class, "rotating keys");
    }

    @Override
    void act(Kms kms, KeyRotation admin, CommandOutput out) throws IOException {
      printKey(out, "rotated", admin.rotateKey(name), kms.reference());
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Disable a key: it neither wraps nor unwraps.")
  static final class Disable extends KeyAction<KeyAdministration> {
    @Option(names = "--name", required = true, paramLabel = "NAME")
    String name;

    Disable() {
      super(KeyAdministration.class, "disabling keys");
    }

    @Override
    void act(Kms kms, KeyAdministration admin, CommandOutput out) throws IOException {
      admin.disableKey(name);
      for (PrimaryKeyInfo k : admin.listKeys()) {
        if (k.name().equals(name)) {
          printKey(out, "disabled", k, kms.reference());
        }
      }
    }
  }
}
