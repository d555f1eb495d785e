package org.ppml.cli.kms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.ppml.cli.ErrorReporter;
import org.ppml.cli.InputFile;
import org.ppml.crypto.json.StrictJsonMapper;

/**
 * A release-policy file given to the broker. Checked here only for being a JSON object, so the
 * error names the file; the broker validates the fields and answers 400 naming the bad one.
 */
final class PolicyFile {
  private static final ObjectMapper JSON = StrictJsonMapper.create();
  private static final long MAX_POLICY = 60 * 1024;

  private PolicyFile() {}

  static String read(Path file) throws IOException {
    String text = new String(InputFile.read(file, "policy", MAX_POLICY), StandardCharsets.UTF_8);
    JsonNode n;
    try {
      n = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ErrorReporter.UsageError(
          "--policy " + file + " is not JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new ErrorReporter.UsageError("--policy " + file + " must hold a JSON object");
    }
    return text;
  }
}
