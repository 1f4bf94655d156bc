package org.worldexplorer.renderer.gl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import imgui.ImGui;
import imgui.flag.ImGuiCond;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.worldexplorer.renderer.ui.ImGuiLayer;

@Tag("gl")
class ImGuiLayerGlTest {

  @Test
  void drawsAPanelOverTheClearedWindowAndClosesCleanly() throws Exception {
    DisplayRequirement.requireDisplay();
    try (GlWindow window = GlWindow.open("ImGuiLayerGlTest", 320, 240, false)) {
      BufferedImage shot;
      try (ImGuiLayer ui = new ImGuiLayer(window.handle(), null)) {
        int[] size = new int[2];
        shot = null;
        for (int frame = 0; frame < 3; frame++) { // ImGui lays windows out on the frames after the first
          window.pollEvents();
          window.framebufferSize(size);
          GlWindow.clear(1f, 1f, 1f);
          ui.newFrame();
          ImGui.setNextWindowPos(10, 10, ImGuiCond.Always);
          ImGui.setNextWindowSize(150, 100, ImGuiCond.Always);
          ImGui.begin("Panel");
          ImGui.text("worldexplorer");
          ImGui.button("Pause");
          ImGui.end();
          ui.render();
          shot = Screenshot.capture(size[0], size[1]);
          window.swapBuffers();
        }
      }
      Screenshot.writePng(shot, Path.of("target", "screenshots", "imgui-panel.png"));
      // Inside the panel the dark theme is far from the white clear colour; outside it stays white.
      assertTrue(luminance(shot.getRGB(80, 80)) < 100, "panel body should be dark");
      assertTrue(luminance(shot.getRGB(250, 200)) > 250, "outside the panel should stay white");
    }
  }

  private static int luminance(int rgb) {
    return (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3;
  }
}
