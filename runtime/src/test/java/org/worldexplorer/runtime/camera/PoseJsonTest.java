package org.worldexplorer.runtime.camera;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.joml.Matrix4d;
import org.joml.Vector3d;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.action.ActionLimits;
import org.worldexplorer.runtime.action.DiscreteLabeler;

class PoseJsonTest {

  private static final DiscreteLabeler LABELER = new DiscreteLabeler(ActionLimits.upstreamDefaults());

  private static String resource(String name) throws IOException {
    try (InputStream in = PoseJsonTest.class.getResourceAsStream("/poses/" + name)) {
      if (in == null) {
        throw new IOException("test resource /poses/" + name + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Trajectory read(String name) throws IOException {
    return PoseJson.read(resource(name), name, LABELER);
  }

  private static String errorOf(String name) {
    return assertThrows(PoseFileException.class, () -> read(name)).getMessage();
  }

  private static String errorOfText(String json) {
    return assertThrows(PoseFileException.class, () -> PoseJson.read(json, "inline.json", LABELER)).getMessage();
  }

  @Test
  void readsPosesIntrinsicsAndLabels() throws IOException {
    Trajectory t = read("four_latents.json");
    assertEquals(4, t.size());
    // 1: 0.08 forward; 2: yaw 90 right in place; 3: one unit along the yawed forward, world +x.
    assertEquals(List.of(0, 9, 1, 9), t.labels());
    assertEquals(1.0, t.cameraToWorld().get(3).getTranslation(new Vector3d()).x, 0.0);
    assertEquals(0.5050505050505050, t.intrinsics().get(0).fx(), 1e-15);
    assertEquals(0.8978675645342312, t.intrinsics().get(0).fy(), 1e-15);
    assertEquals(new NormalizedIntrinsics(500.0 / 640, 500.0 / 480), t.intrinsics().get(3));
    assertTrue(t.warnings().isEmpty(), t.warnings().toString());
  }

  @Test
  void worldToCameraInvertsTheExtrinsic() throws IOException {
    Trajectory t = read("four_latents.json");
    // Camera 3 sits at (1, 0, 0.08) looking along +x; the world origin is 1 unit behind it and 0.08 to its
    // right (its right axis is world -z).
    Vector3d origin = t.worldToCamera(3, new Matrix4d()).transformPosition(new Vector3d());
    assertEquals(0.08, origin.x, 1e-15);
    assertEquals(0.0, origin.y, 1e-15);
    assertEquals(-1.0, origin.z, 1e-15);
  }

  @Test
  void roundTripKeepsPosesIntrinsicsAndLabels(@TempDir Path dir) throws IOException {
    Trajectory original = PoseStringParser.parse("w-3, right-2, up-1, a-2, s-1, down-1",
        ActionLimits.upstreamDefaults());
    Path file = dir.resolve("path.json");
    PoseJson.write(original, file);
    Trajectory back = PoseJson.read(file, LABELER);
    assertEquals(original.size(), back.size());
    assertEquals(original.labels(), back.labels());
    assertEquals(List.of(0, 9, 9, 9, 1, 1, 3, 36, 36, 18, 4), back.labels());
    for (int i = 0; i < original.size(); i++) {
      assertTrue(original.cameraToWorld().get(i).equals(back.cameraToWorld().get(i), 1e-15), "pose " + i);
      assertEquals(original.intrinsics().get(i).fx(), back.intrinsics().get(i).fx(), 1e-15);
      assertEquals(original.intrinsics().get(i).fy(), back.intrinsics().get(i).fy(), 1e-15);
    }
  }

  @Test
  void writesUpstreamLayout() throws IOException {
    Trajectory t = PoseStringParser.parse("w-1, d-1", ActionLimits.upstreamDefaults());
    StringWriter out = new StringWriter();
    PoseJson.write(t, out);
    JsonNode root = new ObjectMapper().readTree(out.toString());
    Iterator<String> names = root.fieldNames();
    assertEquals("0", names.next());
    assertEquals("1", names.next());
    assertEquals("2", names.next());
    JsonNode last = root.get("2");
    assertEquals(0.08, last.get("extrinsic").get(0).get(3).asDouble(), 1e-15);
    assertEquals(0.08, last.get("extrinsic").get(2).get(3).asDouble(), 1e-15);
    assertEquals(1.0, last.get("extrinsic").get(3).get(3).asDouble(), 0.0);
    assertEquals(969.6969696969696, last.get("K").get(0).get(0).asDouble(), 1e-9);
    assertEquals(540.0, last.get("K").get(1).get(2).asDouble(), 0.0);
  }

  @Test
  void malformedJsonNamesTheSourceAndLine() {
    String message = errorOf("malformed.json");
    assertTrue(message.startsWith("malformed.json: not valid JSON:"), message);
    assertTrue(message.contains("line 3"), message);
  }

  @Test
  void missingKeyNamesTheEntry() {
    assertEquals("missing_k.json, entry \"1\": missing \"K\"; each entry needs \"extrinsic\" (4x4) and \"K\" (3x3)",
        errorOf("missing_k.json"));
  }

  @Test
  void wrongShapeNamesTheMatrix() {
    assertEquals("extrinsic_3x4.json, entry \"0\": \"extrinsic\" must be a 4x4 array of rows, got an array of 3",
        errorOf("extrinsic_3x4.json"));
    String shortRow = errorOfText("{\"0\": {\"extrinsic\": [[1,0,0,0],[0,1,0,0],[0,0,1],[0,0,0,1]], \"K\": "
        + "[[1,0,1],[0,1,1],[0,0,1]]}}");
    assertEquals("inline.json, entry \"0\": \"extrinsic\" must be 4x4; row 2 is an array of 3", shortRow);
  }

  @Test
  void singularExtrinsicIsRejected() {
    String message = errorOf("singular.json");
    assertTrue(message.startsWith("singular.json, entry \"1\": extrinsic's rotation is singular"), message);
  }

  @Test
  void nanNamesTheElement() {
    assertEquals("nan.json, entry \"2\": extrinsic[0][3] is NaN; every element must be finite",
        errorOf("nan.json"));
  }

  @Test
  void otherMistakesAreNamed() {
    assertTrue(errorOfText("[1, 2]").contains("expected a JSON object of entries"));
    assertTrue(errorOfText("{}").contains("has no entries"));
    assertTrue(errorOfText("{\"0\": 5}").contains("entry \"0\": expected an object with \"extrinsic\" and \"K\""));
    String text = errorOfText("{\"0\": {\"extrinsic\": [[1,0,0,\"0\"],[0,1,0,0],[0,0,1,0],[0,0,0,1]], "
        + "\"K\": [[1,0,1],[0,1,1],[0,0,1]]}}");
    assertTrue(text.contains("extrinsic[0][3] must be a number, got \"0\""), text);
    String bottom = errorOfText("{\"0\": {\"extrinsic\": [[1,0,0,0],[0,1,0,0],[0,0,1,0],[0,0,1,1]], "
        + "\"K\": [[1,0,1],[0,1,1],[0,0,1]]}}");
    assertTrue(bottom.contains("last row must be [0, 0, 0, 1]"), bottom);
    String focal = errorOfText("{\"0\": {\"extrinsic\": [[1,0,0,0],[0,1,0,0],[0,0,1,0],[0,0,0,1]], "
        + "\"K\": [[0,0,1],[0,1,1],[0,0,1]]}}");
    assertTrue(focal.contains("K's focal lengths must be positive"), focal);
    String duplicate = errorOfText("{\"0\": {}, \"0\": {}}");
    assertTrue(duplicate.contains("not valid JSON: Duplicate field '0'"), duplicate);
  }

  @Test
  void oddButUsableFilesGiveWarnings() throws IOException {
    String identity = "[[1,0,0,0],[0,1,0,0],[0,0,1,0],[0,0,0,1]]";
    String scaled = "[[2,0,0,0],[0,2,0,0],[0,0,2,0],[0,0,0,1]]";
    String k = "[[500,0,320],[0,500,240],[0,0,1]]";
    Trajectory t = PoseJson.read("{\"0\": {\"extrinsic\": " + identity + ", \"K\": " + k + "}, "
        + "\"5\": {\"extrinsic\": " + scaled + ", \"K\": " + k + "}}", "odd.json", LABELER);
    assertEquals(2, t.size());
    assertEquals(2, t.warnings().size(), t.warnings().toString());
    assertTrue(t.warnings().get(0).contains("entry \"5\" is entry 1 in file order"), t.warnings().get(0));
    assertTrue(t.warnings().get(1).contains("not orthonormal"), t.warnings().get(1));
  }

  @Test
  void readsFromAPath(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("four.json");
    Files.writeString(file, resource("four_latents.json"));
    assertEquals(List.of(0, 9, 1, 9), PoseJson.read(file, LABELER).labels());
  }
}
