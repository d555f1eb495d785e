package org.ppml.cli.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.ppml.crypto.fs.AtomicFile;

/**
 * An output file or directory built under a hidden sibling name and renamed into place by {@link
 * #commit()}. Closing without committing deletes everything written, so a failure part way through
 * leaves no partial output behind.
 */
final class StagedOutput implements AutoCloseable {
  private final Path target;
  private final Path staging;
  private final boolean directory;
  private final boolean force;
  private boolean committed;

  private StagedOutput(Path target, Path staging, boolean directory, boolean force) {
    this.target = target;
    this.staging = staging;
    this.directory = directory;
    this.force = force;
  }

  /**
   * @param directory whether the output is a tree rather than one file
   * @param force replace an existing target
   */
  static StagedOutput create(Path target, boolean directory, boolean force) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    if (Files.exists(absolute) && !force) {
      throw new FileAlreadyExistsException(target.toString());
    }
    Path parent = absolute.getParent();
    Files.createDirectories(parent);
    Path staging =
        directory
            ? Files.createTempDirectory(parent, "." + absolute.getFileName() + ".staging-")
            : Files.createTempFile(parent, "." + absolute.getFileName() + ".", ".staging");
    return new StagedOutput(absolute, staging, directory, force);
  }

  /** Where to write the output for an input file at {@code relative} in its tree. */
  Path fileFor(Path relative) throws IOException {
    if (!directory) {
      return staging;
    }
    Path out = staging.resolve(relative.toString());
    Files.createDirectories(out.getParent());
    return out;
  }

  /** Moves the output into place. */
  void commit() throws IOException {
    if (force && Files.exists(target)) {
      deleteTree(target);
    }
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    AtomicFile.forceDirectory(target.getParent());
    committed = true;
  }

  @Override
  public void close() throws IOException {
    if (!committed) {
      deleteTree(staging);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
