package org.ppml.occlum.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import org.ppml.occlum.config.OcclumConfig;
import org.ppml.occlum.config.OcclumConfigException;
import org.ppml.occlum.config.OcclumSize;
import org.ppml.occlum.sign.SgxSignInvocation;
import org.ppml.occlum.sign.SignToolException;

/**
 * Jazzer targets for the occlum parsers of untrusted input: {@code Occlum.json}, sizes, and the
 * sign tool's argument list. Only the typed exceptions may escape. Under plain {@code mvn test}
 * they run in regression mode; set {@code JAZZER_FUZZ=1} to fuzz.
 */
class OcclumParserFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void occlumJson(byte[] data) {
    try {
      OcclumConfig.parse(data);
    } catch (OcclumConfigException expected) {
      // typed rejection
    }
  }

  @FuzzTest(maxDuration = "30s")
  void sizes(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    try {
      OcclumSize.parse(text, "f");
    } catch (OcclumConfigException expected) {
      // typed rejection
    }
    try {
      OcclumSize.parseUserInput(text, "f");
    } catch (OcclumConfigException expected) {
      // typed rejection
    }
  }

  @FuzzTest(maxDuration = "30s")
  void signToolArguments(FuzzedDataProvider data) {
    List<String> argv = new ArrayList<>();
    String[] words = {
      "sign", "-key", "-enclave", "-config", "-out", "-resign", "-ignore-rel-error"
    };
    int n = data.consumeInt(0, 12);
    for (int i = 0; i < n; i++) {
      argv.add(data.consumeBoolean() ? data.pickValue(words) : data.consumeString(8));
    }
    try {
      SgxSignInvocation.parse(argv);
    } catch (SignToolException expected) {
      // typed rejection
    }
  }
}
