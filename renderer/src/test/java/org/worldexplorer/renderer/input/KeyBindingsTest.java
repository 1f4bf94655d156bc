package org.worldexplorer.renderer.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.glfw.GLFW.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyBindingsTest {

  @TempDir Path dir;

  @Test
  void keyNamesRoundTripThroughGlfwConstants() {
    assertEquals("W", KeyBindings.keyName(GLFW_KEY_W));
    assertEquals("LEFT_SHIFT", KeyBindings.keyName(GLFW_KEY_LEFT_SHIFT));
    assertEquals(GLFW_KEY_F11, KeyBindings.keyCode("f11"));
    assertNull(KeyBindings.keyCode("NOT_A_KEY"));
  }

  @Test
  void rebindingOntoABoundKeySwapsTheTwoControls() {
    KeyBindings b = KeyBindings.defaults();
    b.rebind(Control.MOVE_FORWARD, GLFW_KEY_S);
    assertEquals(GLFW_KEY_S, b.key(Control.MOVE_FORWARD));
    assertEquals(GLFW_KEY_W, b.key(Control.MOVE_BACK));
    assertEquals(Control.MOVE_FORWARD, b.controlFor(GLFW_KEY_S));
  }

  @Test
  void savedBindingsLoadBackAndUnmentionedControlsKeepDefaults() throws IOException {
    KeyBindings b = KeyBindings.defaults();
    b.rebind(Control.SCREENSHOT, GLFW_KEY_F5);
    Path file = dir.resolve("config/keys.properties");
    b.save(file);
    assertTrue(Files.readString(file).contains("SCREENSHOT=F5"));
    KeyBindings loaded = KeyBindings.load(file);
    assertEquals(GLFW_KEY_F5, loaded.key(Control.SCREENSHOT));

    Path partial = dir.resolve("partial.properties");
    Files.writeString(partial, "MOVE_FORWARD = i\n");
    KeyBindings p = KeyBindings.load(partial);
    assertEquals(GLFW_KEY_I, p.key(Control.MOVE_FORWARD));
    assertEquals(GLFW_KEY_S, p.key(Control.MOVE_BACK));
  }

  @Test
  void aBadFileSaysWhichLineIsWrong() throws IOException {
    Path badKey = dir.resolve("bad-key.properties");
    Files.writeString(badKey, "MOVE_FORWARD = Q2\n");
    IOException e = assertThrows(IOException.class, () -> KeyBindings.load(badKey));
    assertTrue(e.getMessage().contains("unknown key 'Q2' for MOVE_FORWARD"), e.getMessage());

    Path badControl = dir.resolve("bad-control.properties");
    Files.writeString(badControl, "JUMP = SPACE\n");
    e = assertThrows(IOException.class, () -> KeyBindings.load(badControl));
    assertTrue(e.getMessage().contains("unknown control 'JUMP'"), e.getMessage());
  }
}
