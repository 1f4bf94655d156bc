package org.worldexplorer.runtime.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** The test bundles of models/tools/make_test_graphs.py, and copies of them with one thing changed. */
final class TestBundles {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TestBundles() {}

  /** The committed bundle folder of one case, e.g. {@code valid}. */
  static Path path(String name) {
    try {
      return Path.of(TestBundles.class.getResource("/bundles/" + name + "/manifest.json").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh copy of one case under {@code target} (in its own folder named like the case), to break on purpose. */
  static Path copy(String name, Path target) {
    try (Stream<Path> files = Files.list(path(name))) {
      Path folder = Files.createTempDirectory(Files.createDirectories(target), name + "-").resolve(name);
      Files.createDirectories(folder);
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, folder.resolve(file.getFileName()));
      }
      return folder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A copy of the valid bundle whose manifest was changed by {@code edit}. */
  static Path withManifest(Path target, Consumer<ObjectNode> edit) {
    return withManifest("valid", target, edit);
  }

  /** A copy of one case whose manifest was changed by {@code edit}. */
  static Path withManifest(String name, Path target, Consumer<ObjectNode> edit) {
    Path folder = copy(name, target);
    Path manifest = folder.resolve("manifest.json");
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(manifest.toFile());
      edit.accept(root);
      JSON.writerWithDefaultPrettyPrinter().writeValue(manifest.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return folder;
  }

  /** The {@code index}-th input entry of a graph in a manifest tree. */
  static ObjectNode input(ObjectNode root, String graph, int index) {
    return (ObjectNode) root.with("graphs").with(graph).withArray("inputs").get(index);
  }

  /** The {@code index}-th output entry of a graph in a manifest tree. */
  static ObjectNode output(ObjectNode root, String graph, int index) {
    return (ObjectNode) root.with("graphs").with(graph).withArray("outputs").get(index);
  }
}
