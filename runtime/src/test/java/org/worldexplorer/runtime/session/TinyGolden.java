package org.worldexplorer.runtime.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  /** One prompt of the rollout: in effect from {@code firstChunk} until the next prompt's first chunk. */
  record Prompt(int firstChunk, String text, int[] ids, int[] mask, float[] embeddings) {}

  /** The prompts in the order they take effect; the first starts at chunk 0. */
  List<Prompt> prompts() throws IOException {
    List<Prompt> prompts = new ArrayList<>();
    for (JsonNode p : index.get("prompts")) {
      prompts.add(new Prompt(p.get("first_chunk").asInt(), p.get("text").asText(), ints(p.get("ids")),
          ints(p.get("mask")), readFloats(folder.resolve(p.get("embeddings").get("file").asText()))));
    }
    return prompts;
  }

  /** The chunk from which the second prompt is in effect. */
  int switchChunk() {
    return index.get("switch_chunk").asInt();
  }

  /** The text of the prompt the DiT saw for a chunk. */
  String promptOf(int chunk) {
    return chunk(chunk).get("prompt").asText();
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
    return ints(chunk(chunk).get(field));
  }

  private static int[] ints(JsonNode list) {
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

  /**
   * The tensor file of a chunk's field ("noise", "latents", "frames"; from the switch chunk on also
   * "latents_without_switch", the latents of the same rollout with the first prompt throughout).
   */
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
