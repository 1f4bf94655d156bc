package org.worldexplorer.app.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.bundle.CudaOptions;

/**
 * The JSON of each session log line (docs/session-log.md): records to objects and back. Reading checks every
 * field and says which one is wrong, so a hand-edited or damaged log fails with a message instead of a stack.
 */
final class SessionLogFormat {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private SessionLogFormat() {}

  static ObjectNode header(LogHeader h) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("type", "header").put("format", LogHeader.FORMAT).put("version", LogHeader.VERSION);
    n.put("source", h.source()).put("created", h.created());
    ObjectNode bundle = n.putObject("bundle");
    bundle.put("path", h.bundlePath()).put("name", h.bundle().name());
    bundle.put("manifest_sha256", h.bundle().manifestSha256());
    ArrayNode files = bundle.putArray("files");
    for (BundleFingerprint.FileFingerprint f : h.bundle().files()) {
      files.addObject().put("file", f.file()).put("size", f.size()).put("head_sha256", f.headSha256())
          .put("tail_sha256", f.tailSha256());
    }
    n.putObject("start_image").put("path", h.imagePath()).put("sha256", h.imageSha256());
    n.put("seed", h.seed()).put("prompt", h.prompt());
    ObjectNode settings = n.putObject("settings").put("provider", h.provider())
        .put("intra_op_threads", h.intraOpThreads()).put("deterministic", h.deterministic());
    settings.set("cuda", cuda(h.cuda()));
    settings.put("spatial_memory", h.spatialMemory());
    n.putObject("video").put("file", h.video()).put("width", h.width()).put("height", h.height())
        .put("fps", h.fps());
    n.put("latents_per_chunk", h.latentsPerChunk()).put("drive", h.drive())
        .put("first_recorded_chunk", h.firstRecordedChunk()).put("kept_frames", h.keptFrames());
    return n;
  }

  static LogHeader readHeader(JsonNode n, Where where) {
    if (!LogHeader.FORMAT.equals(n.path("format").asText())) {
      throw where.error("the first line is not a " + LogHeader.FORMAT + " header");
    }
    int version = n.path("version").asInt(-1);
    if (version != LogHeader.VERSION) {
      throw where.error("log format version " + version + " is not supported; this program reads version "
          + LogHeader.VERSION);
    }
    JsonNode b = where.object(n, "bundle");
    List<BundleFingerprint.FileFingerprint> files = new ArrayList<>();
    for (JsonNode f : where.array(b, "files")) {
      files.add(new BundleFingerprint.FileFingerprint(where.text(f, "file"), where.integer(f, "size"),
          where.text(f, "head_sha256"), where.text(f, "tail_sha256")));
    }
    BundleFingerprint fingerprint = new BundleFingerprint(where.text(b, "name"), where.text(b, "manifest_sha256"),
        files);
    JsonNode image = where.object(n, "start_image");
    JsonNode settings = where.object(n, "settings");
    JsonNode video = where.object(n, "video");
    try {
      return new LogHeader(where.text(n, "source"), where.text(n, "created"), where.text(b, "path"), fingerprint,
          where.text(image, "path"), where.text(image, "sha256"), where.integer(n, "seed"), where.text(n, "prompt"),
          where.text(settings, "provider"), (int) where.integer(settings, "intra_op_threads"),
          where.bool(settings, "deterministic"), readCuda(settings, where), where.bool(settings, "spatial_memory"),
          (int) where.integer(video, "width"), (int) where.integer(video, "height"), (int) where.integer(video, "fps"),
          (int) where.integer(n, "latents_per_chunk"), where.text(n, "drive"),
          (int) where.integer(n, "first_recorded_chunk"), where.integer(n, "kept_frames"), where.text(video, "file"));
    } catch (IllegalArgumentException e) {
      throw where.error(e.getMessage());
    }
  }

  /** The CUDA options under ONNX Runtime's names; {@code gpu_mem_limit} is bytes, or null for no cap. */
  static ObjectNode cuda(CudaOptions c) {
    ObjectNode n = MAPPER.createObjectNode().put("device_id", c.deviceId());
    if (c.memoryLimitBytes().isPresent()) {
      n.put("gpu_mem_limit", c.memoryLimitBytes().getAsLong());
    } else {
      n.putNull("gpu_mem_limit");
    }
    return n.put("cudnn_conv_algo_search", c.convAlgoSearch().name()).put("use_tf32", c.tf32());
  }

  /** {@code settings.cuda}; absent in logs from before it was recorded, whose runs used ONNX Runtime's defaults. */
  static CudaOptions readCuda(JsonNode settings, Where where) {
    if (!settings.has("cuda")) {
      return CudaOptions.defaults();
    }
    JsonNode c = where.object(settings, "cuda");
    JsonNode limit = c.get("gpu_mem_limit");
    if (limit == null || !(limit.isNull() || limit.isIntegralNumber())) {
      throw where.error("'gpu_mem_limit' must be a whole number of bytes or null (no cap)");
    }
    String search = where.text(c, "cudnn_conv_algo_search");
    CudaOptions.ConvAlgoSearch algoSearch;
    try {
      algoSearch = CudaOptions.ConvAlgoSearch.valueOf(search);
    } catch (IllegalArgumentException e) {
      throw where.error("'cudnn_conv_algo_search' must be EXHAUSTIVE, HEURISTIC or DEFAULT, got '" + search + "'");
    }
    try {
      return new CudaOptions((int) where.integer(c, "device_id"),
          limit.isNull() ? OptionalLong.empty() : OptionalLong.of(limit.asLong()), algoSearch,
          where.bool(c, "use_tf32"));
    } catch (IllegalArgumentException e) {
      throw where.error(e.getMessage());
    }
  }

  static ObjectNode chunk(ChunkEntry c) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("type", "chunk").put("chunk", c.chunk());
    ArrayNode actions = n.putArray("actions");
    for (DualAction a : c.actions()) {
      actions.addObject().put("label", a.label()).put("forward", a.forward()).put("right", a.right())
          .put("yaw", a.yawDegrees()).put("pitch", a.pitchDegrees());
    }
    ArrayNode poses = n.putArray("camera_to_world");
    for (double[] pose : c.cameraToWorld()) {
      ArrayNode row = poses.addArray();
      for (double v : pose) {
        row.add(v);
      }
    }
    n.put("latents_sha256", c.latentsSha256());
    ArrayNode frames = n.putArray("frames_sha256");
    c.frameSha256().forEach(frames::add);
    return n;
  }

  static ChunkEntry readChunk(JsonNode n, Where where) {
    List<DualAction> actions = new ArrayList<>();
    for (JsonNode a : where.array(n, "actions")) {
      try {
        actions.add(new DualAction((int) where.integer(a, "label"), where.number(a, "forward"),
            where.number(a, "right"), where.number(a, "yaw"), where.number(a, "pitch")));
      } catch (IllegalArgumentException e) {
        throw where.error(e.getMessage());
      }
    }
    List<double[]> poses = new ArrayList<>();
    for (JsonNode p : where.array(n, "camera_to_world")) {
      double[] pose = new double[p.size()];
      for (int i = 0; i < pose.length; i++) {
        if (!p.get(i).isNumber()) {
          throw where.error("camera_to_world holds a value that is not a number: " + p.get(i));
        }
        pose[i] = p.get(i).doubleValue();
      }
      poses.add(pose);
    }
    List<String> frames = new ArrayList<>();
    for (JsonNode f : where.array(n, "frames_sha256")) {
      frames.add(f.asText());
    }
    try {
      return new ChunkEntry((int) where.integer(n, "chunk"), actions, poses, where.text(n, "latents_sha256"), frames);
    } catch (IllegalArgumentException e) {
      throw where.error(e.getMessage());
    }
  }

  static ObjectNode prompt(PromptEvent p) {
    return MAPPER.createObjectNode().put("type", "prompt").put("chunk", p.chunk()).put("prompt", p.prompt());
  }

  static PromptEvent readPrompt(JsonNode n, Where where) {
    try {
      return new PromptEvent((int) where.integer(n, "chunk"), where.text(n, "prompt"));
    } catch (IllegalArgumentException e) {
      throw where.error(e.getMessage());
    }
  }

  static ObjectNode end(int chunks, long frames, String status) {
    return MAPPER.createObjectNode().put("type", "end").put("chunks", chunks).put("frames", frames)
        .put("status", status);
  }

  /** A line of a named file, for messages; also reads typed fields with messages that name the field. */
  record Where(String file, int line) {

    SessionLogException error(String what) {
      return new SessionLogException(file + " line " + line + ": " + what);
    }

    JsonNode object(JsonNode n, String field) {
      JsonNode v = n.get(field);
      if (v == null || !v.isObject()) {
        throw error("'" + field + "' must be an object");
      }
      return v;
    }

    JsonNode array(JsonNode n, String field) {
      JsonNode v = n.get(field);
      if (v == null || !v.isArray()) {
        throw error("'" + field + "' must be a list");
      }
      return v;
    }

    String text(JsonNode n, String field) {
      JsonNode v = n.get(field);
      if (v == null || !v.isTextual()) {
        throw error("'" + field + "' must be a string");
      }
      return v.asText();
    }

    long integer(JsonNode n, String field) {
      JsonNode v = n.get(field);
      if (v == null || !v.isIntegralNumber()) {
        throw error("'" + field + "' must be a whole number");
      }
      return v.asLong();
    }

    float number(JsonNode n, String field) {
      JsonNode v = n.get(field);
      if (v == null || !v.isNumber()) {
        throw error("'" + field + "' must be a number");
      }
      return v.floatValue();
    }

    boolean bool(JsonNode n, String field) {
      JsonNode v = n.get(field);
      if (v == null || !v.isBoolean()) {
        throw error("'" + field + "' must be true or false");
      }
      return v.asBoolean();
    }
  }
}
