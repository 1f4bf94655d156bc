package org.worldexplorer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppSettingsTest {

  @TempDir Path dir;

  @Test
  void aMissingFileGivesTheDefaults() {
    StringBuilder problems = new StringBuilder();
    AppSettings settings = AppSettings.load(dir.resolve("none.properties"), problems);
    assertEquals(0.15, settings.mouseSensitivity);
    assertEquals("", problems.toString());
  }

  @Test
  void savedSettingsComeBack() throws Exception {
    AppSettings settings = new AppSettings();
    settings.mouseSensitivity = 0.4;
    Path file = dir.resolve("config/worldexplorer/settings.properties");
    settings.save(file);
    assertEquals(0.4, AppSettings.load(file, new StringBuilder()).mouseSensitivity);
  }

  @Test
  void eventKeyPromptsHaveDefaultsAndCanBeChanged() throws Exception {
    AppSettings defaults = AppSettings.load(dir.resolve("none"), new StringBuilder());
    assertEquals("night", defaults.eventPrompts[0]);
    assertEquals("", defaults.eventPrompts[3], "the fourth key clears the prompt");
    Path file = dir.resolve("settings.properties");
    Files.writeString(file, "event_2 = a storm rolls in\n");
    AppSettings loaded = AppSettings.load(file, new StringBuilder());
    assertEquals("a storm rolls in", loaded.eventPrompts[1]);
    assertEquals("snow", loaded.eventPrompts[2]);
  }

  @Test
  void aBadValueFallsBackToTheDefaultAndSaysWhy() throws Exception {
    Path file = dir.resolve("settings.properties");
    Files.writeString(file, "mouse_sensitivity = 50\n");
    StringBuilder problems = new StringBuilder();
    assertEquals(0.15, AppSettings.load(file, problems).mouseSensitivity);
    assertTrue(problems.toString().contains("mouse_sensitivity '50' is not a number in 0.01..2.0; using 0.15"),
        problems.toString());
  }

  @Test
  void theConfigFolderFollowsXdgConfigHome() {
    String xdg = System.getenv("XDG_CONFIG_HOME");
    if (xdg != null) {
      assertEquals(Path.of(xdg, "worldexplorer", "settings.properties"), AppSettings.file());
    } else {
      assertEquals(Path.of(System.getProperty("user.home"), ".config", "worldexplorer", "settings.properties"),
          AppSettings.file());
    }
  }
}
