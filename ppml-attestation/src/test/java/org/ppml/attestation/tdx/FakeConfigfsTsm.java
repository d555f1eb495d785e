package org.ppml.attestation.tdx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Plays the kernel's part for a plain directory: on create, makes the attribute files a
 * configfs-tsm entry has; on remove, deletes them. Records what it saw.
 */
class FakeConfigfsTsm implements TsmReportEntries {
  final byte[] outblob;
  final String provider;
  final List<Path> created = new ArrayList<>();
  final List<Path> removed = new ArrayList<>();

  FakeConfigfsTsm(byte[] outblob, String provider) {
    this.outblob = outblob;
    this.provider = provider;
  }

  @Override
  public Path create(Path reportRoot) throws IOException {
    Path entry = Files.createDirectory(reportRoot.resolve("entry" + created.size()));
    Files.write(entry.resolve("inblob"), new byte[0]);
    Files.write(entry.resolve("outblob"), outblob);
    Files.writeString(entry.resolve("provider"), provider + "\n");
    Files.writeString(entry.resolve("generation"), "1\n");
    created.add(entry);
    return entry;
  }

  @Override
  public void remove(Path entry) throws IOException {
    try (Stream<Path> files = Files.list(entry)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(entry);
    removed.add(entry);
  }
}
