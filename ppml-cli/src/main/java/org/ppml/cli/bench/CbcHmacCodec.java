package org.ppml.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.hadoop.conf.Configurable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionInputStream;
import org.apache.hadoop.io.compress.CompressionOutputStream;
import org.apache.hadoop.io.compress.Compressor;
import org.apache.hadoop.io.compress.Decompressor;

/**
 * The baseline of {@code ppml bench spark}, written in the style of BigDL PPML's file encryption:
 * one AES-CBC stream per file behind a Hadoop {@code CompressionCodec}, with an HMAC over the whole
 * ciphertext at the end. Not splittable, and plaintext is handed out before the HMAC is checked. It
 * exists only to be measured against; nothing else may use it.
 *
 * <p>BigDL-PPML-style file encryption as a Hadoop codec (extension {@code .cbc}): {@code IV[16] ‖
 * AES-256-CBC(PKCS#5) ‖ HMAC-SHA256(ivAndCiphertext)[32]}. Keys come from the configuration keys
 * {@code ppml.bench.bigdl.key} and {@code ppml.bench.bigdl.macKey} (base64), which is acceptable
 * only because this is a benchmark baseline.
 */
public final class CbcHmacCodec implements CompressionCodec, Configurable {
  static final String KEY = "ppml.bench.bigdl.key";
  static final String MAC_KEY = "ppml.bench.bigdl.macKey";
  private static final int IV = 16;
  private static final int TAG = 32;

  private Configuration conf;

  @Override
  public void setConf(Configuration conf) {
    this.conf = conf;
  }

  @Override
  public Configuration getConf() {
    return conf;
  }

  @Override
  public String getDefaultExtension() {
    return ".cbc";
  }

  private byte[] key(String name) {
    String v = conf == null ? null : conf.get(name);
    if (v == null) {
      throw new IllegalStateException(name + " is not set");
    }
    return Base64.getDecoder().decode(v);
  }

  @Override
  public CompressionOutputStream createOutputStream(OutputStream out) throws IOException {
    return new Encrypting(out, key(KEY), key(MAC_KEY));
  }

  @Override
  public CompressionInputStream createInputStream(InputStream in) throws IOException {
    return new Decrypting(in, key(KEY), key(MAC_KEY));
  }

  @Override
  public CompressionOutputStream createOutputStream(OutputStream out, Compressor compressor)
      throws IOException {
    return createOutputStream(out);
  }

  @Override
  public CompressionInputStream createInputStream(InputStream in, Decompressor decompressor)
      throws IOException {
    return createInputStream(in);
  }

  @Override
  public Class<? extends Compressor> getCompressorType() {
    return null;
  }

  @Override
  public Compressor createCompressor() {
    return null;
  }

  @Override
  public Class<? extends Decompressor> getDecompressorType() {
    return null;
  }

  @Override
  public Decompressor createDecompressor() {
    return null;
  }

  private static final class Encrypting extends CompressionOutputStream {
    private final Cipher cipher;
    private final Mac mac;
    private boolean finished;

    Encrypting(OutputStream out, byte[] key, byte[] macKey) throws IOException {
      super(out);
      try {
        byte[] iv = new byte[IV];
        new SecureRandom().nextBytes(iv);
        cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
        mac.update(iv);
        out.write(iv);
      } catch (GeneralSecurityException e) {
        throw new IOException(e);
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      emit(cipher.update(b, off, len));
    }

    private void emit(byte[] c) throws IOException {
      if (c != null && c.length > 0) {
        mac.update(c);
        out.write(c);
      }
    }

    @Override
    public void finish() throws IOException {
      if (finished) {
        return;
      }
      finished = true;
      try {
        emit(cipher.doFinal());
      } catch (GeneralSecurityException e) {
        throw new IOException(e);
      }
      out.write(mac.doFinal());
    }

    @Override
    public void resetState() {
      throw new UnsupportedOperationException("one stream per file");
    }

    @Override
    public void close() throws IOException {
      finish();
      super.close();
    }
  }

  /**
   * Decrypts as it reads and checks the HMAC only at the end of the file, as the style it copies
   * does: every byte before the end is released unauthenticated.
   */
  private static final class Decrypting extends CompressionInputStream {
    private final Cipher cipher;
    private final Mac mac;
    private final byte[] window = new byte[64 * 1024 + TAG];
    private int windowFill;
    private byte[] pending = new byte[0];
    private int pendingPos;
    private boolean eof;

    Decrypting(InputStream in, byte[] key, byte[] macKey) throws IOException {
      super(in);
      try {
        byte[] iv = in.readNBytes(IV);
        if (iv.length != IV) {
          throw new IOException("truncated .cbc file");
        }
        cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(macKey, "HmacSHA256"));
        mac.update(iv);
      } catch (GeneralSecurityException e) {
        throw new IOException(e);
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (pendingPos == pending.length) {
        if (eof) {
          return -1;
        }
        refill();
      }
      int n = Math.min(len, pending.length - pendingPos);
      System.arraycopy(pending, pendingPos, b, off, n);
      pendingPos += n;
      return n;
    }

    /** Keeps the last 32 bytes back: they are the tag, not ciphertext. */
    private void refill() throws IOException {
      int n = in.read(window, windowFill, window.length - windowFill);
      if (n < 0) {
        eof = true;
        if (windowFill < TAG) {
          throw new IOException("truncated .cbc file");
        }
        int body = windowFill - TAG;
        mac.update(window, 0, body);
        byte[] tag = Arrays.copyOfRange(window, body, windowFill);
        try {
          pending = cipher.doFinal(window, 0, body);
        } catch (GeneralSecurityException e) {
          throw new IOException("bad padding in .cbc file", e);
        }
        pendingPos = 0;
        if (!MessageDigest.isEqual(tag, mac.doFinal())) {
          throw new IOException("HMAC mismatch at the end of the .cbc file");
        }
        return;
      }
      windowFill += n;
      int release = windowFill - TAG;
      if (release > 0) {
        mac.update(window, 0, release);
        byte[] p = cipher.update(window, 0, release);
        pending = p == null ? new byte[0] : p;
        pendingPos = 0;
        System.arraycopy(window, release, window, 0, TAG);
        windowFill = TAG;
      }
    }

    @Override
    public void resetState() {
      throw new UnsupportedOperationException("one stream per file");
    }
  }
}
