package org.worldexplorer.runtime.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.worldexplorer.runtime.action.DualAction;

/**
 * The golden rollout of reference-tiny ({@code golden/index.json} and its raw little-endian float32 files), as
 * models/worldexplorer_models/reference_tiny/golden.py writes it.
 */
final class TinyGolden {

  final Path folder;
  final JsonNode index;

  TinyGolden(Path folder) throws IOException {
    this.folder = folder;
    this.index = new ObjectMapper().readTree(folder.resolve("index.json").toFile());
  }

  long seed() {
    return index.get("seed").asLong();
  }

  String prompt() {
    return index.get("prompt").asText();
  }

  Path startImage() {
    return folder.resolve(index.get("start_image").asText());
  }

  double tolerance() {
    return index.get("tolerance").get("abs").asDouble();
  }

  int frameStride() {
    return index.get("frame_stride").asInt();
  }

  int temporalLatents() {
    return index.get("temporal_latents").asInt();
  }

  int chunkCount() {
    return index.get("chunks").size();
  }

  JsonNode chunk(int i) {
    return index.get("chunks").get(i);
  }

  DualAction[] actions(int chunk) {
    JsonNode list = chunk(chunk).get("actions");
    DualAction[] actions = new DualAction[list.size()];
    for (int i = 0; i < actions.length; i++) {
      JsonNode a = list.get(i);
      actions[i] = new DualAction(a.get("label").asInt(), (float) a.get("forward").asDouble(),
          (float) a.get("right").asDouble(), (float) a.get("yaw_degrees").asDouble(),
          (float) a.get("pitch_degrees").asDouble());
    }
    return actions;
  }

  int[] ints(int chunk, String field) {
    JsonNode list = chunk(chunk).get(field);
    int[] values = new int[list.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = list.get(i).asInt();
    }
    return values;
  }

  boolean[] booleans(int chunk, String field) {
    JsonNode list = chunk(chunk).get(field);
    boolean[] values = new boolean[list.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = list.get(i).asBoolean();
    }
    return values;
  }

  /** The tensor file of a chunk's field ("noise", "latents", "frames"). */
  float[] tensor(int chunk, String field) throws IOException {
    return readFloats(folder.resolve(chunk(chunk).get(field).get("file").asText()));
  }

  int[] shape(int chunk, String field) {
    JsonNode list = chunk(chunk).get(field).get("shape");
    int[] shape = new int[list.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = list.get(i).asInt();
    }
    return shape;
  }

  static float[] readFloats(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(values);
    return values;
  }
}
