package org.ppml.cli.keys;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ppml.cli.CommandOutput;
import org.ppml.crypto.kms.PrimaryKeyInfo;

/**
 * How a primary key is printed: the same JSON fields from {@code ppml keys} and {@code ppml kms
 * keys}, so scripts read both alike. Never the key material, which {@link PrimaryKeyInfo} does not
 * hold.
 */
public final class PrimaryKeyView {
  private PrimaryKeyView() {}

  /** {@code name}, {@code primaryVersion}, {@code versions}, {@code enabled}, {@code created}. */
  public static ObjectNode json(PrimaryKeyInfo k) {
    ObjectNode o = CommandOutput.object();
    o.put("name", k.name());
    o.put("primaryVersion", k.primaryVersion());
    ArrayNode versions = o.putArray("versions");
    k.versions().forEach(versions::add);
    o.put("enabled", k.enabled());
    o.put("created", k.created().toString());
    return o;
  }

  /** One line for a key list. */
  public static String line(PrimaryKeyInfo k) {
    return String.format(
        "%-32s v%-4d %-8s created %s",
        k.name(), k.primaryVersion(), k.enabled() ? "enabled" : "DISABLED", k.created());
  }
}
