package org.ppml.cli.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Applies a per-file transformation (encrypt or decrypt) to a file or a directory tree, into a
 * staged output that is committed only if every file succeeded.
 */
final class TreeTransform {
  /** Transforms one file; reports input bytes consumed through {@code progress}. */
  @FunctionalInterface
  interface FileAction {
    void apply(Path in, Path out, Progress progress) throws IOException;
  }

  /** What a run did. */
  record Summary(int files, int markers, long bytesIn, long bytesOut, double seconds) {
    /**
     * Adds the result fields both directions print; {@code encrypting} says which side is
     * plaintext.
     */
    void describe(ObjectNode json, Path input, Path output, boolean encrypting) {
      json.put("input", input.toString());
      json.put("output", output.toString());
      json.put("files", files);
      json.put("markers", markers);
      json.put("plaintextBytes", encrypting ? bytesIn : bytesOut);
      json.put("ciphertextBytes", encrypting ? bytesOut : bytesIn);
      json.put("seconds", seconds);
    }
  }

  private TreeTransform() {}

  static Summary run(
      Path input,
      Path output,
      boolean force,
      String task,
      boolean json,
      Progress.Target progressTarget,
      FileAction action)
      throws IOException {
    long start = System.nanoTime();
    FileTree tree = FileTree.of(input);
    long bytesIn = tree.totalBytes();
    long bytesOut = 0;
    int markers = 0;
    try (StagedOutput staged = StagedOutput.create(output, tree.directory(), force);
        Progress progress = Progress.create(task, bytesIn, json, progressTarget)) {
      for (Path relative : tree.files()) {
        Path in = tree.source(relative);
        Path out = staged.fileFor(relative);
        if (tree.directory() && FileTree.isMarker(in)) {
          Files.createFile(out);
          markers++;
          continue;
        }
        action.apply(in, out, progress);
        bytesOut += Files.size(out);
      }
      staged.commit();
    }
    return new Summary(
        tree.files().size() - markers,
        markers,
        bytesIn,
        bytesOut,
        (System.nanoTime() - start) / 1e9);
  }
}
