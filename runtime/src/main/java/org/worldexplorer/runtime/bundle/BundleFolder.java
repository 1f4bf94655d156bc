package org.worldexplorer.runtime.bundle;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Load checks 1 and 2 on a folder, and opening its graph files: the steps shared by loading and validation. */
final class BundleFolder {

  private static final String WHAT_TO_DO = "Rebuild the bundle with models/ or pass --bundle <folder> to use"
      + " another one.";

  /** The file a prompt cache folder lists its prompts in. */
  static final String PROMPT_CACHE_INDEX = "index.json";

  private BundleFolder() {}

  /** Check 1: the folder exists and its manifest parses and validates. */
  static Manifest readManifest(Path folder) throws BundleException {
    if (!Files.exists(folder)) {
      throw new BundleException("Bundle folder " + folder + " does not exist. Pass --bundle <folder> with a model"
          + " bundle (a folder with manifest.json), or build one with models/.");
    }
    if (!Files.isDirectory(folder)) {
      throw new BundleException(folder + " is a file, not a bundle folder. Pass --bundle <folder> with the folder"
          + " that holds manifest.json.");
    }
    return ManifestReader.read(folder.resolve(ManifestReader.FILE_NAME));
  }

  /** Check 2: every file the manifest names exists; one message per missing file. */
  static List<String> missingFiles(Path folder, Manifest manifest) {
    List<String> problems = new ArrayList<>();
    for (String key : manifest.graphKeys()) {
      String file = manifest.graph(key).file();
      requireFile(folder, file, "graph '" + key + "'", problems);
    }
    for (TextStream stream : manifest.text().streams()) {
      if (stream.tokenizer().hasFile()) {
        requireFile(folder, stream.tokenizer().file(), "tokenizer of text stream '" + stream.name() + "'",
            problems);
      }
    }
    String cache = manifest.text().promptCache();
    if (cache != null) {
      requireFile(folder, cache + "/" + PROMPT_CACHE_INDEX, "text.prompt_cache", problems);
    }
    if (manifest.licence().file() != null) {
      requireFile(folder, manifest.licence().file(), "licence.file", problems);
    }
    return problems;
  }

  /** Opens one graph, turning ONNX Runtime's refusal into a message about the file. */
  static OrtSession open(SessionFactory factory, Path folder, GraphSpec graph) throws BundleException {
    Path file = folder.resolve(graph.file());
    try {
      return factory.open(file);
    } catch (OrtException e) {
      throw new BundleException(graph.file() + " in " + folder + " could not be loaded by ONNX Runtime: "
          + e.getMessage() + ". The file is probably truncated or corrupt. " + WHAT_TO_DO, e);
    }
  }

  /** Bytes of a graph file plus its external weights ({@code <file>.data}) if present. */
  static long graphBytes(Path folder, GraphSpec graph) {
    return sizeOrZero(folder.resolve(graph.file())) + sizeOrZero(folder.resolve(graph.file() + ".data"));
  }

  private static long sizeOrZero(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static void requireFile(Path folder, String file, String role, List<String> problems) {
    if (!Files.isRegularFile(folder.resolve(file))) {
      problems.add("Bundle folder " + folder + " has no " + file + " (" + role + " in manifest.json). "
          + WHAT_TO_DO);
    }
  }
}
