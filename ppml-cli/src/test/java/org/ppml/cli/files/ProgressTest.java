package org.ppml.cli.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** When the encrypt/decrypt progress bar is drawn, where, and what it shows. */
class ProgressTest {
  private static final long MIB = 1 << 20;

  /**
   * Runs a 3 MiB task through a bar and returns what reached the error writer.
   *
   * @param pauseMillis how long the task takes after its last step
   */
  private static String drawn(boolean json, boolean terminal, long pauseMillis)
      throws InterruptedException {
    StringWriter err = new StringWriter();
    try (Progress p =
        Progress.create(
            "encrypt", 3 * MIB, json, new Progress.Target(new PrintWriter(err), terminal))) {
      for (int i = 0; i < 3; i++) {
        p.advance(MIB);
      }
      Thread.sleep(pauseMillis);
    }
    return err.toString();
  }

  @Test
  void onATerminalTheBarShowsMebibytesAndThroughput() throws InterruptedException {
    // The bar computes throughput over whole elapsed seconds and shows "?" before the first
    // one, so the task lasts a little over a second; nothing asserted depends on how long.
    String out = drawn(false, true, 1100);
    assertTrue(out.startsWith("\r"), "redrawn in place: " + out);
    assertTrue(out.endsWith(System.lineSeparator()), "the line ends when the bar closes: " + out);
    String last = out.substring(out.lastIndexOf('\r') + 1).strip();
    assertTrue(last.startsWith("encrypt"), last);
    assertTrue(last.contains("100%"), last);
    assertTrue(last.contains("3/3 MiB"), "bytes done and total, in MiB: " + last);
    assertTrue(last.matches(".*\\d+(\\.\\d+)? ?MiB/s.*"), "throughput: " + last);
    assertTrue(last.length() <= 79, "fits an 80-column terminal: " + last.length());
  }

  @Test
  void withJsonThereIsNoBarEvenOnATerminal() throws InterruptedException {
    assertEquals("", drawn(true, true, 0));
  }

  @Test
  void whenPipedThereIsNoBar() throws InterruptedException {
    assertEquals("", drawn(false, false, 0));
  }
}
