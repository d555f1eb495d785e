package org.ppml.spark.pme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.crypto.DecryptionKeyRetriever;
import org.apache.parquet.crypto.FileDecryptionProperties;
import org.apache.parquet.crypto.TagVerificationException;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.ppml.crypto.IntegrityException;
import org.ppml.crypto.json.StrictJsonMapper;

/**
 * Turns Parquet's authentication failure under modular encryption (a GCM tag that does not verify:
 * a wrong key or a tampered file) into the project's {@link IntegrityException}, naming the file,
 * the part whose authentication failed (the footer, the plaintext footer's signature, or a column)
 * and the key id that part was encrypted with.
 *
 * <p>Parquet's own exception names none of these, and arrives wrapped in generic read errors. So on
 * a failure the file is opened again with the same decryption properties and checked part by part,
 * in the order Parquet authenticates them: the footer (or its signature), then each column's
 * metadata, then each column's pages. The first part that fails is the one reported. Nothing read
 * during the check reaches a caller; it is key metadata and authentication only.
 */
public final class PmeIntegrity {
  private static final int MAX_KEY_ID = 128;
  private static final ObjectMapper JSON = StrictJsonMapper.create();

  private PmeIntegrity() {}

  /** Parquet's authentication failure in {@code failure}'s cause chain, or null. */
  public static TagVerificationException tagFailure(Throwable failure) {
    for (Throwable c = failure; c != null; c = c.getCause()) {
      if (c instanceof TagVerificationException tag) {
        return tag;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  /**
   * A Parquet key in the file's key metadata that does not authenticate, in {@code failure}'s cause
   * chain, or null: its wrapped data key does not unwrap under the named master key, or the sealed
   * Parquet key does not open ({@code PpmlKmsClient}). Parquet reports either as a generic key
   * access failure; it is a verdict on the file's key metadata, as a tag failure is on its parts.
   */
  public static IntegrityException keyFailure(Throwable failure) {
    for (Throwable c = failure; c != null; c = c.getCause()) {
      if (c instanceof IntegrityException integrity) {
        return integrity;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  /**
   * The integrity failure of {@code file}, located.
   *
   * @param conf the configuration the failed read used (its crypto factory and KMS)
   * @param name the file name for the message
   * @param failure Parquet's authentication failure, kept as the cause
   */
  public static IntegrityException locate(
      Configuration conf, Path file, String name, TagVerificationException failure) {
    RecordingKeys keys;
    FileDecryptionProperties properties;
    try {
      FileDecryptionProperties base =
          new PpmlCryptoFactory().getFileDecryptionProperties(conf, file);
      keys = new RecordingKeys(base.getKeyRetriever());
      properties =
          FileDecryptionProperties.builder()
              .withKeyRetriever(keys)
              .withPlaintextFilesAllowed()
              .build();
    } catch (RuntimeException e) {
      return failed(name, "an encrypted part", "unknown", failure);
    }
    ParquetReadOptions options = ParquetReadOptions.builder().withDecryption(properties).build();
    ParquetFileReader reader;
    try {
      reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf), options);
    } catch (IOException | RuntimeException e) {
      if (tagFailure(e) == null) {
        return failed(name, "an encrypted part", "unknown", failure);
      }
      String part =
          String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("signature")
              ? "the plaintext footer's signature"
              : "the footer";
      return failed(name, part, keys.first(), failure);
    }
    try (reader) {
      String footerKey = keys.first();
      Map<String, String> columnKeys = new HashMap<>();
      // Column metadata: decrypted (and authenticated) with the column's key on first access.
      for (BlockMetaData block : reader.getRowGroups()) {
        for (ColumnChunkMetaData column : block.getColumns()) {
          String path = column.getPath().toDotString();
          keys.clear();
          try {
            column.getValueCount();
            column.getCodec();
          } catch (RuntimeException e) {
            if (tagFailure(e) != null) {
              return failed(name, "column '" + path + "'", keys.lastOr(footerKey), failure);
            }
          } finally {
            if (keys.last() != null) {
              columnKeys.putIfAbsent(path, keys.last());
            }
          }
        }
      }
      // Pages, one column at a time, so that a failure belongs to one column.
      MessageType schema = reader.getFileMetaData().getSchema();
      for (ColumnDescriptor column : schema.getColumns()) {
        String path = String.join(".", column.getPath());
        keys.clear();
        // A reader reads row groups forward only: a fresh one per column.
        try (ParquetFileReader one =
            ParquetFileReader.open(HadoopInputFile.fromPath(file, conf), options)) {
          Type top = schema.getType(column.getPath()[0]);
          one.setRequestedSchema(new MessageType(schema.getName(), top));
          for (PageReadStore pages = one.readNextRowGroup();
              pages != null;
              pages = one.readNextRowGroup()) {
            PageReader pageReader = pages.getPageReader(column);
            pageReader.readDictionaryPage();
            while (pageReader.readPage() != null) {
              // authenticating only; the pages are dropped
            }
          }
        } catch (IOException | RuntimeException e) {
          if (tagFailure(e) != null) {
            String key = keys.last() != null ? keys.last() : columnKeys.get(path);
            return failed(name, "column '" + path + "'", key != null ? key : footerKey, failure);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through: report what is known
    }
    return failed(name, "an encrypted part", keys.first(), failure);
  }

  private static IntegrityException failed(
      String name, String part, String keyId, TagVerificationException failure) {
    return new IntegrityException(
        name,
        part,
        "Parquet modular encryption: "
            + part
            + " does not authenticate under the key with id '"
            + (keyId == null ? "unknown" : keyId)
            + "' it was encrypted with (a wrong key, or a tampered file); no row was returned",
        failure);
  }

  /** The key id that key metadata names: an explicit key id, or a KMS master key id. */
  static String keyIdOf(byte[] metadata) {
    if (metadata == null || metadata.length == 0) {
      return "unknown";
    }
    if (metadata[0] == '{' && metadata.length <= 8192) {
      try {
        JsonNode json = JSON.readTree(metadata);
        JsonNode master = json == null ? null : json.get("masterKeyID");
        if (master != null && master.isTextual()) {
          return printable(master.textValue());
        }
      } catch (IOException e) {
        return "unknown";
      }
      return "unknown";
    }
    return printable(new String(metadata, StandardCharsets.UTF_8));
  }

  private static String printable(String id) {
    String s = id.length() > MAX_KEY_ID ? id.substring(0, MAX_KEY_ID) + "…" : id;
    return s.replaceAll("[^\\x20-\\x7e…]", "?");
  }

  /** A key retriever that remembers which key ids it was asked for. */
  private static final class RecordingKeys implements DecryptionKeyRetriever {
    private final DecryptionKeyRetriever delegate;
    private String first;
    private String last;

    RecordingKeys(DecryptionKeyRetriever delegate) {
      this.delegate = delegate;
    }

    @Override
    public byte[] getKey(byte[] keyMetaData) {
      String id = keyIdOf(keyMetaData);
      if (first == null) {
        first = id;
      }
      last = id;
      return delegate.getKey(keyMetaData);
    }

    String first() {
      return first;
    }

    String last() {
      return last;
    }

    String lastOr(String fallback) {
      return last != null ? last : fallback;
    }

    void clear() {
      last = null;
    }
  }
}
