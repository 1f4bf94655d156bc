package org.worldexplorer.app;

import imgui.ImGui;
import org.worldexplorer.app.record.RecordingController;

/** The panel's record toggle (F9 does the same) and a line saying what is recorded or what went wrong. GL thread. */
final class RecordingButton {

  private RecordingButton() {}

  static void draw(RecordingController recording) {
    if (recording == null) {
      return;
    }
    if (ImGui.button(recording.isRecording() ? "Stop recording (F9)" : "Record (F9)")) {
      recording.toggle();
    }
    String status = recording.status();
    if (!status.isEmpty()) {
      boolean problem = status.startsWith("cannot") || status.contains("stopped") || status.contains("dropped");
      if (problem) {
        ImGui.textColored(1f, 0.4f, 0.3f, 1f, status);
      } else {
        ImGui.textWrapped(status);
      }
    }
  }
}
