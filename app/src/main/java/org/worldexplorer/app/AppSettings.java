package org.worldexplorer.app;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Settings a person changes in the panel and expects to find again: kept in {@code settings.properties} under the
 * XDG config folder. Unknown or bad values fall back to the default with a message; a broken file never stops the
 * app.
 */
final class AppSettings {

  static final double DEFAULT_MOUSE_SENSITIVITY = 0.15;
  static final double MIN_MOUSE_SENSITIVITY = 0.01;
  static final double MAX_MOUSE_SENSITIVITY = 2.0;

  /** Degrees of turn per pixel of mouse movement. */
  double mouseSensitivity = DEFAULT_MOUSE_SENSITIVITY;

  /** The prompts the event keys (1 to 4 by default) send; an empty one clears the prompt. */
  final String[] eventPrompts = {"night", "fog", "snow", ""};

  static Path file() {
    return AppPaths.config().resolve("settings.properties");
  }

  /** Reads {@code file}; a missing file gives the defaults, a bad value its default plus a line in {@code problems}. */
  static AppSettings load(Path file, StringBuilder problems) {
    AppSettings settings = new AppSettings();
    if (!Files.isRegularFile(file)) {
      return settings;
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      problems.append(file).append(": cannot read it (").append(e.getMessage()).append("); using defaults\n");
      return settings;
    }
    String sensitivity = properties.getProperty("mouse_sensitivity");
    if (sensitivity != null) {
      try {
        double value = Double.parseDouble(sensitivity.trim());
        if (value < MIN_MOUSE_SENSITIVITY || value > MAX_MOUSE_SENSITIVITY) {
          throw new NumberFormatException("outside " + MIN_MOUSE_SENSITIVITY + ".." + MAX_MOUSE_SENSITIVITY);
        }
        settings.mouseSensitivity = value;
      } catch (NumberFormatException e) {
        problems.append(file).append(": mouse_sensitivity '").append(sensitivity).append("' is not a number in ")
            .append(MIN_MOUSE_SENSITIVITY).append("..").append(MAX_MOUSE_SENSITIVITY).append("; using ")
            .append(DEFAULT_MOUSE_SENSITIVITY).append('\n');
      }
    }
    for (int i = 0; i < settings.eventPrompts.length; i++) {
      String prompt = properties.getProperty("event_" + (i + 1));
      if (prompt != null) {
        settings.eventPrompts[i] = prompt.strip();
      }
    }
    return settings;
  }

  void save(Path file) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("mouse_sensitivity", Double.toString(mouseSensitivity));
    for (int i = 0; i < eventPrompts.length; i++) {
      properties.setProperty("event_" + (i + 1), eventPrompts[i]);
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (Writer writer = Files.newBufferedWriter(file)) {
      properties.store(writer, "worldexplorer settings");
    }
  }
}
