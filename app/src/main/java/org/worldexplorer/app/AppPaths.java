package org.worldexplorer.app;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the app reads its shipped assets and writes user data: settings under the XDG config folder, screenshots
 * and recordings under the XDG pictures and videos folders (or the home folder), caches under the XDG cache
 * folder. Nothing is written next to the program.
 */
final class AppPaths {

  private AppPaths() {}

  /** The folder holding {@code assets/}: the launcher passes it; a source checkout's working folder works too. */
  static Path home() {
    String property = System.getProperty("worldexplorer.home");
    if (property != null) {
      return Path.of(property);
    }
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("assets").resolve("bundles"))) {
        return p;
      }
    }
    return here;
  }

  static Path defaultBundle() {
    return home().resolve("assets").resolve("bundles").resolve("reference-scene");
  }

  static Path defaultImage() {
    return home().resolve("assets").resolve("images").resolve("meadow.png");
  }

  static Path config() {
    return xdg("XDG_CONFIG_HOME", ".config").resolve("worldexplorer");
  }

  static Path cache() {
    return xdg("XDG_CACHE_HOME", ".cache").resolve("worldexplorer");
  }

  static Path screenshots() {
    return userFolder("XDG_PICTURES_DIR", "Pictures").resolve("worldexplorer");
  }

  static Path videos() {
    return userFolder("XDG_VIDEOS_DIR", "Videos").resolve("worldexplorer");
  }

  private static Path xdg(String variable, String fallback) {
    String value = System.getenv(variable);
    if (value != null && !value.isBlank() && Path.of(value).isAbsolute()) {
      return Path.of(value);
    }
    return Path.of(System.getProperty("user.home"), fallback);
  }

  private static Path userFolder(String variable, String name) {
    String value = System.getenv(variable);
    if (value != null && !value.isBlank() && Path.of(value).isAbsolute()) {
      return Path.of(value);
    }
    Path folder = Path.of(System.getProperty("user.home"), name);
    return Files.isDirectory(folder) ? folder : Path.of(System.getProperty("user.home"));
  }
}
