package org.worldexplorer.renderer.input;

import static org.lwjgl.glfw.GLFW.*;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * Which GLFW key triggers each {@link Control}. Stored as a properties file of control = key name (the GLFW name
 * without its {@code GLFW_KEY_} prefix, e.g. {@code MOVE_FORWARD = W}), so a person can edit it by hand.
 */
public final class KeyBindings {

  private final EnumMap<Control, Integer> keys = new EnumMap<>(Control.class);

  private KeyBindings() {}

  /** WASD to move, arrows to look, Shift for speed, Esc releases the pointer, F11 fullscreen, F12 screenshot. */
  public static KeyBindings defaults() {
    KeyBindings b = new KeyBindings();
    b.keys.put(Control.MOVE_FORWARD, GLFW_KEY_W);
    b.keys.put(Control.MOVE_BACK, GLFW_KEY_S);
    b.keys.put(Control.MOVE_LEFT, GLFW_KEY_A);
    b.keys.put(Control.MOVE_RIGHT, GLFW_KEY_D);
    b.keys.put(Control.TURN_LEFT, GLFW_KEY_LEFT);
    b.keys.put(Control.TURN_RIGHT, GLFW_KEY_RIGHT);
    b.keys.put(Control.LOOK_UP, GLFW_KEY_UP);
    b.keys.put(Control.LOOK_DOWN, GLFW_KEY_DOWN);
    b.keys.put(Control.FAST, GLFW_KEY_LEFT_SHIFT);
    b.keys.put(Control.RELEASE_POINTER, GLFW_KEY_ESCAPE);
    b.keys.put(Control.TOGGLE_FULLSCREEN, GLFW_KEY_F11);
    b.keys.put(Control.SCREENSHOT, GLFW_KEY_F12);
    b.keys.put(Control.TOGGLE_PANEL, GLFW_KEY_F1);
    b.keys.put(Control.TOGGLE_RECORDING, GLFW_KEY_F9);
    b.keys.put(Control.PAUSE, GLFW_KEY_P);
    b.keys.put(Control.EVENT_1, GLFW_KEY_1);
    b.keys.put(Control.EVENT_2, GLFW_KEY_2);
    b.keys.put(Control.EVENT_3, GLFW_KEY_3);
    b.keys.put(Control.EVENT_4, GLFW_KEY_4);
    return b;
  }

  public int key(Control control) {
    return keys.get(control);
  }

  /**
   * Binds a control to a key. A key already bound to another control is swapped onto this control's old key,
   * so no key ever triggers two controls.
   */
  public void rebind(Control control, int key) {
    if (keyName(key) == null) {
      throw new IllegalArgumentException("GLFW key code " + key + " is not a known key");
    }
    int previous = keys.get(control);
    for (Map.Entry<Control, Integer> entry : keys.entrySet()) {
      if (entry.getKey() != control && entry.getValue() == key) {
        entry.setValue(previous);
      }
    }
    keys.put(control, key);
  }

  /** The control bound to a key, or null. */
  public Control controlFor(int key) {
    for (Map.Entry<Control, Integer> entry : keys.entrySet()) {
      if (entry.getValue() == key) {
        return entry.getKey();
      }
    }
    return null;
  }

  /** Reads bindings; controls the file does not mention keep their defaults. */
  public static KeyBindings load(Path file) throws IOException {
    KeyBindings b = defaults();
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    }
    for (String name : properties.stringPropertyNames()) {
      Control control;
      try {
        control = Control.valueOf(name.trim());
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": unknown control '" + name + "'; valid controls: "
            + java.util.Arrays.toString(Control.values()));
      }
      String keyName = properties.getProperty(name).trim();
      Integer key = keyCode(keyName);
      if (key == null) {
        throw new IOException(file + ": unknown key '" + keyName + "' for " + control
            + "; use GLFW key names such as W, LEFT_SHIFT, F11, SPACE");
      }
      b.rebind(control, key);
    }
    return b;
  }

  /** Writes every binding, creating the folder. */
  public void save(Path file) throws IOException {
    Properties properties = new Properties();
    keys.forEach((control, key) -> properties.setProperty(control.name(), keyName(key)));
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (Writer writer = Files.newBufferedWriter(file)) {
      properties.store(writer, "worldexplorer key bindings: CONTROL = GLFW key name");
    }
  }

  /** The GLFW name of a key code without its prefix (W, LEFT_SHIFT, F11), or null if none. */
  public static String keyName(int key) {
    for (Field field : org.lwjgl.glfw.GLFW.class.getFields()) {
      if (isKeyConstant(field)) {
        try {
          if (field.getInt(null) == key) {
            return field.getName().substring("GLFW_KEY_".length());
          }
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return null;
  }

  /** The key code for a GLFW key name (case-insensitive, prefix optional), or null if none. */
  public static Integer keyCode(String name) {
    String wanted = "GLFW_KEY_" + name.toUpperCase().replaceFirst("^GLFW_KEY_", "");
    try {
      Field field = org.lwjgl.glfw.GLFW.class.getField(wanted);
      return isKeyConstant(field) ? field.getInt(null) : null;
    } catch (NoSuchFieldException | IllegalAccessException e) {
      return null;
    }
  }

  private static boolean isKeyConstant(Field field) {
    return field.getName().startsWith("GLFW_KEY_") && field.getType() == int.class
        && Modifier.isStatic(field.getModifiers()) && !field.getName().equals("GLFW_KEY_LAST")
        && !field.getName().equals("GLFW_KEY_UNKNOWN");
  }
}
