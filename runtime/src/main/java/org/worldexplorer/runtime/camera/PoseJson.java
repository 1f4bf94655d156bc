package org.worldexplorer.runtime.camera;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.joml.Matrix4d;
import org.joml.Matrix4dc;
import org.worldexplorer.runtime.action.DiscreteLabeler;

/**
 * Reads and writes upstream's pose JSON (upstream-spec section 3.4): an object whose entries, one per latent
 * and used in file order, are named "0", "1", ... and hold {@code "extrinsic"}, a 4x4 camera-to-world matrix
 * (despite the name), and {@code "K"}, 3x3 pixel intrinsics.
 *
 * <p>Reading normalises K ({@code fx / (2 cx)}, {@code fy / (2 cy)}; the principal point is taken as central)
 * and labels each latent from its relative pose. Writing gives pixel intrinsics for upstream's 1920x1080
 * reference image, as upstream writes them. Errors name the source, the entry and what is wrong; oddities that
 * upstream accepts (entries named out of order, a rotation that is not orthonormal) become warnings.
 */
public final class PoseJson {

  private static final double AFFINE_TOLERANCE = 1e-6;
  private static final double SINGULAR_DETERMINANT = 1e-9;
  private static final double ORTHONORMAL_TOLERANCE = 1e-4;

  // NaN is read (Python's json writes it) so that it can be reported per entry instead of as a syntax error.
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
      .build();

  private PoseJson() {}

  /** Reads the pose file at {@code path}. */
  public static Trajectory read(Path path, DiscreteLabeler labeler) throws IOException {
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return read(reader, path.toString(), labeler);
    }
  }

  /** Reads pose JSON held in a string; {@code sourceName} names it in messages. */
  public static Trajectory read(String json, String sourceName, DiscreteLabeler labeler) throws PoseFileException {
    try {
      return read(new StringReader(json), sourceName, labeler);
    } catch (PoseFileException e) {
      throw e;
    } catch (IOException e) {
      throw new PoseFileException(sourceName + ": " + e.getMessage(), e);
    }
  }

  /** Reads pose JSON from {@code reader}; {@code sourceName} names it in messages. */
  public static Trajectory read(Reader reader, String sourceName, DiscreteLabeler labeler) throws IOException {
    JsonNode root;
    try {
      root = MAPPER.readTree(reader);
    } catch (JsonProcessingException e) {
      throw new PoseFileException(sourceName + ": not valid JSON: " + e.getOriginalMessage()
          + location(e), e);
    }
    if (root == null || !root.isObject()) {
      throw new PoseFileException(sourceName + ": expected a JSON object of entries \"0\", \"1\", ..., got "
          + (root == null ? "nothing" : root.getNodeType().toString().toLowerCase()));
    }
    if (root.isEmpty()) {
      throw new PoseFileException(sourceName + ": has no entries; it needs one per latent, from \"0\"");
    }
    List<Matrix4dc> poses = new ArrayList<>(root.size());
    List<NormalizedIntrinsics> intrinsics = new ArrayList<>(root.size());
    List<String> warnings = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> entries = root.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      int index = poses.size();
      String where = sourceName + ", entry \"" + entry.getKey() + "\"";
      if (!entry.getKey().equals(Integer.toString(index))) {
        warnings.add(where + " is entry " + index + " in file order; entries are used in file order, not by name");
      }
      JsonNode value = entry.getValue();
      if (!value.isObject()) {
        throw new PoseFileException(where + ": expected an object with \"extrinsic\" and \"K\", got "
            + value.getNodeType().toString().toLowerCase());
      }
      Matrix4d pose = readExtrinsic(value, where, warnings);
      poses.add(pose);
      intrinsics.add(readIntrinsics(value, where));
    }
    return Trajectory.fromPoses(poses, intrinsics, labeler, warnings);
  }

  /** Writes {@code trajectory} as pose JSON to {@code path}. */
  public static void write(Trajectory trajectory, Path path) throws IOException {
    try (Writer writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
      write(trajectory, writer);
    }
  }

  /** Writes {@code trajectory} as pose JSON to {@code writer} (left open). */
  public static void write(Trajectory trajectory, Writer writer) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    for (int i = 0; i < trajectory.size(); i++) {
      ObjectNode entry = root.putObject(Integer.toString(i));
      Matrix4dc c2w = trajectory.cameraToWorld().get(i);
      ArrayNode extrinsic = entry.putArray("extrinsic");
      for (int row = 0; row < 4; row++) {
        ArrayNode r = extrinsic.addArray();
        for (int column = 0; column < 4; column++) {
          r.add(c2w.get(column, row));
        }
      }
      NormalizedIntrinsics k = trajectory.intrinsics().get(i);
      double cx = NormalizedIntrinsics.DEFAULT_PIXEL_CX;
      double cy = NormalizedIntrinsics.DEFAULT_PIXEL_CY;
      ArrayNode kNode = entry.putArray("K");
      kNode.addArray().add(k.pixelFx(cx)).add(0.0).add(cx);
      kNode.addArray().add(0.0).add(k.pixelFy(cy)).add(cy);
      kNode.addArray().add(0.0).add(0.0).add(1.0);
    }
    MAPPER.writeValue(writer, root);
  }

  private static Matrix4d readExtrinsic(JsonNode entry, String where, List<String> warnings)
      throws PoseFileException {
    double[][] m = readMatrix(entry, "extrinsic", 4, where);
    double[] bottom = m[3];
    if (Math.abs(bottom[0]) > AFFINE_TOLERANCE || Math.abs(bottom[1]) > AFFINE_TOLERANCE
        || Math.abs(bottom[2]) > AFFINE_TOLERANCE || Math.abs(bottom[3] - 1) > AFFINE_TOLERANCE) {
      throw new PoseFileException(where + ": extrinsic's last row must be [0, 0, 0, 1] (a rigid camera pose), got "
          + Arrays.toString(bottom));
    }
    Matrix4d pose = new Matrix4d(
        m[0][0], m[1][0], m[2][0], 0,
        m[0][1], m[1][1], m[2][1], 0,
        m[0][2], m[1][2], m[2][2], 0,
        m[0][3], m[1][3], m[2][3], 1);
    double det = pose.determinant3x3();
    if (Math.abs(det) < SINGULAR_DETERMINANT) {
      throw new PoseFileException(where + ": extrinsic's rotation is singular (determinant " + det
          + "), so the camera cannot be inverted; give a camera-to-world rotation");
    }
    if (!isOrthonormal(pose)) {
      warnings.add(where + ": extrinsic's rotation is not orthonormal (determinant " + det
          + "); relative poses and labels may be off");
    }
    return pose;
  }

  private static NormalizedIntrinsics readIntrinsics(JsonNode entry, String where) throws PoseFileException {
    double[][] k = readMatrix(entry, "K", 3, where);
    if (!(k[0][0] > 0) || !(k[1][1] > 0)) {
      throw new PoseFileException(where + ": K's focal lengths must be positive, got fx " + k[0][0]
          + ", fy " + k[1][1]);
    }
    if (!(k[0][2] > 0) || !(k[1][2] > 0)) {
      throw new PoseFileException(where + ": K's principal point must be positive pixels, got cx " + k[0][2]
          + ", cy " + k[1][2]);
    }
    return NormalizedIntrinsics.fromPixels(k[0][0], k[1][1], k[0][2], k[1][2]);
  }

  /** Reads {@code entry[key]} as a size x size array of finite numbers, row by row. */
  private static double[][] readMatrix(JsonNode entry, String key, int size, String where)
      throws PoseFileException {
    JsonNode node = entry.get(key);
    if (node == null) {
      throw new PoseFileException(where + ": missing \"" + key + "\"; each entry needs \"extrinsic\" (4x4) and"
          + " \"K\" (3x3)");
    }
    String shape = size + "x" + size;
    if (!node.isArray() || node.size() != size) {
      throw new PoseFileException(where + ": \"" + key + "\" must be a " + shape + " array of rows, got "
          + describe(node));
    }
    double[][] m = new double[size][size];
    for (int row = 0; row < size; row++) {
      JsonNode r = node.get(row);
      if (!r.isArray() || r.size() != size) {
        throw new PoseFileException(where + ": \"" + key + "\" must be " + shape + "; row " + row + " is "
            + describe(r));
      }
      for (int column = 0; column < size; column++) {
        JsonNode v = r.get(column);
        if (!v.isNumber()) {
          throw new PoseFileException(where + ": " + key + "[" + row + "][" + column + "] must be a number, got "
              + v);
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
          throw new PoseFileException(where + ": " + key + "[" + row + "][" + column + "] is " + d
              + "; every element must be finite");
        }
        m[row][column] = d;
      }
    }
    return m;
  }

  private static boolean isOrthonormal(Matrix4dc pose) {
    for (int a = 0; a < 3; a++) {
      for (int b = a; b < 3; b++) {
        double dot = pose.get(a, 0) * pose.get(b, 0) + pose.get(a, 1) * pose.get(b, 1)
            + pose.get(a, 2) * pose.get(b, 2);
        if (Math.abs(dot - (a == b ? 1 : 0)) > ORTHONORMAL_TOLERANCE) {
          return false;
        }
      }
    }
    return true;
  }

  private static String describe(JsonNode node) {
    if (node.isArray()) {
      return "an array of " + node.size();
    }
    return node.getNodeType().toString().toLowerCase() + " " + node;
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }
}
