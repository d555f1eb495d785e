package org.ppml.cli.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The regular files under an input path with their paths relative to it, in a stable order. A
 * single file is a tree of one entry whose relative path is empty.
 *
 * <p>Hidden files (a leading dot: checksums, our own temporaries) are skipped. Zero-length files
 * whose names start with {@code _} are job markers such as Spark's {@code _SUCCESS}; they hold no
 * data and are copied as they are rather than encrypted.
 */
record FileTree(Path root, boolean directory, List<Path> files) {

  static FileTree of(Path input) throws IOException {
    if (!Files.exists(input)) {
      throw new NoSuchFileException(input.toString());
    }
    if (!Files.isDirectory(input)) {
      return new FileTree(input, false, List.of(Path.of("")));
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(input)) {
      walk.filter(Files::isRegularFile)
          .filter(p -> !isHidden(input.relativize(p)))
          .map(input::relativize)
          .sorted()
          .forEach(files::add);
    }
    return new FileTree(input, true, files);
  }

  Path source(Path relative) {
    return directory ? root.resolve(relative) : root;
  }

  long totalBytes() throws IOException {
    long total = 0;
    for (Path f : files) {
      total += Files.size(source(f));
    }
    return total;
  }

  static boolean isMarker(Path file) throws IOException {
    return file.getFileName().toString().startsWith("_") && Files.size(file) == 0;
  }

  private static boolean isHidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
