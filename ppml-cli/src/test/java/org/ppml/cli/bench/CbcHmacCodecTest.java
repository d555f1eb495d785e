package org.ppml.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** The baseline must be a correct implementation of its design, or the comparison means nothing. */
class CbcHmacCodecTest {
  private static CbcHmacCodec codec() {
    Configuration conf = new Configuration(false);
    conf.set(CbcHmacCodec.KEY, Base64.getEncoder().encodeToString(new byte[32]));
    conf.set(CbcHmacCodec.MAC_KEY, Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4}));
    CbcHmacCodec c = new CbcHmacCodec();
    c.setConf(conf);
    return c;
  }

  private static byte[] encrypt(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream s = codec().createOutputStream(out)) {
      s.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void roundTripsAtEverySizeAroundItsBuffers() throws IOException {
    for (int size : new int[] {0, 1, 15, 16, 17, 65_535, 65_536, 65_569, 300_001}) {
      byte[] data = new byte[size];
      new Random(size).nextBytes(data);
      try (InputStream in = codec().createInputStream(new ByteArrayInputStream(encrypt(data)))) {
        assertArrayEquals(data, in.readAllBytes(), "size " + size);
      }
    }
  }

  @Test
  void tamperingIsCaughtOnlyAtTheEnd() throws IOException {
    byte[] data = new byte[200_000];
    byte[] enc = encrypt(data);
    enc[100] ^= 1;
    IOException e =
        assertThrows(
            IOException.class,
            () -> {
              try (InputStream in = codec().createInputStream(new ByteArrayInputStream(enc))) {
                in.readAllBytes();
              }
            });
    assertTrue(
        e.getMessage().contains("HMAC") || e.getMessage().contains("padding"), e.getMessage());
  }
}
