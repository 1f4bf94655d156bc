package org.worldexplorer.app.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What identifies a model bundle without reading gigabytes: the manifest's hash, and for every other file at the
 * bundle's top level (graphs, external weights, tokenizers) its size and the hashes of its first and last MiB.
 * Two bundles with equal fingerprints give the same frames.
 *
 * @param name the manifest's bundle name
 * @param manifestSha256 hash of {@code manifest.json}
 * @param files the other files, sorted by name
 */
public record BundleFingerprint(String name, String manifestSha256, List<FileFingerprint> files) {

  static final long MIB = 1 << 20;

  /** One file's size and the hashes of its first and last MiB (the same range when the file is smaller). */
  public record FileFingerprint(String file, long size, String headSha256, String tailSha256) {}

  public BundleFingerprint {
    files = List.copyOf(files);
  }

  /** Fingerprints the bundle in {@code directory}; {@code name} comes from its manifest. */
  public static BundleFingerprint of(Path directory, String name) throws IOException {
    List<FileFingerprint> files = new ArrayList<>();
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path file : entries.filter(Files::isRegularFile).sorted().toList()) {
        String fileName = file.getFileName().toString();
        if (fileName.equals("manifest.json")) {
          continue;
        }
        long size = Files.size(file);
        files.add(new FileFingerprint(fileName, size, Hashes.ofRange(file, 0, MIB),
            Hashes.ofRange(file, Math.max(0, size - MIB), MIB)));
      }
    }
    return new BundleFingerprint(name, Hashes.ofFile(directory.resolve("manifest.json")), files);
  }

  /** Empty when equal; otherwise what differs first, in words. */
  public String difference(BundleFingerprint other) {
    if (!name.equals(other.name)) {
      return "bundle '" + name + "' is not bundle '" + other.name + "'";
    }
    if (!manifestSha256.equals(other.manifestSha256)) {
      return "the manifest of '" + name + "' has changed";
    }
    for (FileFingerprint f : files) {
      FileFingerprint g = other.files.stream().filter(x -> x.file().equals(f.file())).findFirst().orElse(null);
      if (g == null) {
        return f.file() + " is missing";
      }
      if (!f.equals(g)) {
        return f.file() + " differs (size " + f.size() + " vs " + g.size() + ", or its content)";
      }
    }
    if (other.files.size() != files.size()) {
      return "the bundle folder holds other files";
    }
    return "";
  }
}
