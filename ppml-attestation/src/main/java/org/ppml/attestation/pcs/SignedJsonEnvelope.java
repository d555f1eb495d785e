package org.ppml.attestation.pcs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.ppml.attestation.collateral.CollateralBundle;
import org.ppml.attestation.collateral.CollateralFormatException;
import org.ppml.crypto.json.StrictJsonMapper;

/**
 * A PCS response such as {@code {"tcbInfo":{...},"signature":"hex"}}: the exact text of the signed
 * object, byte for byte as the server sent it, and the hex signature.
 *
 * <p>Re-serialising the parsed object would change the text and break Intel's signature, so the
 * object's span is cut out of the original string using the parser's character offsets.
 */
record SignedJsonEnvelope(String rawBody, String signatureHex) {
  private static final JsonFactory JSON = StrictJsonMapper.factory(64, CollateralBundle.MAX_SIZE);

  static SignedJsonEnvelope parse(String text, String bodyField, String what)
      throws CollateralFormatException {
    String raw = null;
    String sig = null;
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new CollateralFormatException(what + " response is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (name.equals(bodyField) && value == JsonToken.START_OBJECT) {
          int start = (int) p.currentTokenLocation().getCharOffset();
          p.skipChildren();
          int end = (int) p.currentTokenLocation().getCharOffset() + 1;
          raw = text.substring(start, end);
        } else if (name.equals("signature") && value == JsonToken.VALUE_STRING) {
          sig = p.getText();
        } else {
          p.skipChildren();
        }
      }
    } catch (IOException | IndexOutOfBoundsException e) {
      throw new CollateralFormatException(what + " response is not valid JSON");
    }
    if (raw == null || sig == null) {
      throw new CollateralFormatException(
          what + " response lacks \"" + bodyField + "\" or \"signature\"");
    }
    return new SignedJsonEnvelope(raw, sig);
  }
}
