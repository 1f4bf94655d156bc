package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.worldexplorer.runtime.ModelsPython;

/**
 * Rebuilds each committed reference bundle from models/ with Debian's Python into a temporary folder and checks
 * that its manifest is the same and its golden files agree with the committed ones within the bundle's golden
 * tolerance: a bundle that no longer matches the code that builds it fails here. Skips when /usr/bin/python3
 * cannot import torch, onnx, numpy and PIL, unless WORLDEXPLORER_REQUIRE_ALL_TESTS is set (CI), where that fails.
 */
class ReferenceTinyAndSceneRegenerationTest {

  private static final Path PYTHON = ModelsPython.PYTHON;
  private static final Path BUNDLES = Path.of("..", "assets", "bundles");

  @ParameterizedTest
  @ValueSource(strings = {"reference-tiny", "reference-scene"})
  void theCommittedBundleIsWhatModelsBuilds(String bundle, @TempDir Path temp) throws Exception {
    ModelsPython.require("the regeneration check", List.of("torch", "onnx", "numpy", "PIL"), "python3-torch python3-onnx python3-numpy python3-pil");
    Path out = temp.resolve(bundle);
    long start = System.nanoTime();
    String log = ModelsPython.run(List.of(PYTHON.toString(), "-m", "worldexplorer_models", "build", bundle, "--out",
        out.toAbsolutePath().toString()), 300);
    System.out.printf("rebuilt %s in %.1f s%n", bundle, (System.nanoTime() - start) / 1e9);

    ObjectMapper json = new ObjectMapper();
    Path committed = BUNDLES.resolve(bundle);
    assertEquals(json.readTree(committed.resolve("manifest.json").toFile()),
        json.readTree(out.resolve("manifest.json").toFile()), bundle + ": manifest.json differs from what "
            + "models/ builds; rebuild with models/build_reference_bundles.sh\n" + log);

    Path golden = committed.resolve("golden");
    Path rebuilt = out.resolve("golden");
    assertEquals(fileNames(golden), fileNames(rebuilt), bundle + ": the golden folder holds other files");
    double tolerance = json.readTree(golden.resolve("index.json").toFile()).get("tolerance").get("abs").asDouble();
    List<String> differences = new ArrayList<>();
    for (String name : fileNames(golden)) {
      String difference = GoldenFiles.compare(golden.resolve(name), rebuilt.resolve(name), tolerance);
      if (difference != null) {
        differences.add(name + ": " + difference);
      }
    }
    assertTrue(differences.isEmpty(), bundle + ": regenerated golden files differ from the committed ones "
        + "(rebuild with models/build_reference_bundles.sh if the change is intended):\n"
        + String.join("\n", differences));
  }


  private static TreeSet<String> fileNames(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
