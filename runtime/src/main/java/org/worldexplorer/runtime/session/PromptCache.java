package org.worldexplorer.runtime.session;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.worldexplorer.runtime.bundle.TextStream;

/**
 * A bundle's {@code prompt_cache/}: the DiT text inputs of a fixed list of prompts, for streams whose encoder the
 * bundle does not ship. {@code index.json} is {@code {"prompts": [{"text": …, "files": {"<stream>": "<file>"}}]}};
 * each file holds {@code max_tokens × dim} little-endian float32 embeddings and then {@code max_tokens} mask
 * values. Opening checks the index and every file's size, so a broken cache fails at load, not mid-walk.
 */
final class PromptCache {

  static final String INDEX = "index.json";

  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
  private static final Pattern PLAIN_FILE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*");

  private final Path folder;
  private final Map<String, TextStream> streams = new LinkedHashMap<>();
  /** Prompt text (stripped) → stream name → file inside the folder, in index order. */
  private final Map<String, Map<String, String>> entries = new LinkedHashMap<>();

  private PromptCache(Path folder) {
    this.folder = folder;
  }

  /**
   * Reads and checks {@code <bundle>/<folderName>/index.json}.
   *
   * @param allStreams the bundle's text streams (a file may be given for any of them)
   * @param required the streams every prompt must have a file for (those without an encoder)
   * @throws IOException naming the file and what is wrong with it
   */
  static PromptCache open(Path bundleDirectory, String folderName, List<TextStream> allStreams,
      Set<String> required) throws IOException {
    Path folder = bundleDirectory.resolve(folderName);
    Path index = folder.resolve(INDEX);
    PromptCache cache = new PromptCache(folder);
    for (TextStream s : allStreams) {
      cache.streams.put(s.name(), s);
    }
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(index));
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(index.toString(), null, "the manifest's text.prompt_cache names this folder,"
          + " so it needs an index.json (docs/bundle-format.md, \"prompt_cache/\"); re-export the bundle");
    } catch (JsonProcessingException e) {
      throw new IOException(index + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject() || !root.path("prompts").isArray() || root.size() != 1) {
      throw new IOException(index + " must be {\"prompts\": [{\"text\": ..., \"files\": {\"<stream>\": ...}}]}");
    }
    int number = 0;
    for (JsonNode entry : root.get("prompts")) {
      number++;
      cache.addEntry(index, number, entry, required);
    }
    if (cache.entries.isEmpty()) {
      throw new IOException(index + " lists no prompts; a prompt cache needs at least one");
    }
    return cache;
  }

  private void addEntry(Path index, int number, JsonNode entry, Set<String> required) throws IOException {
    String where = index + ", prompt " + number;
    if (!entry.isObject() || !entry.path("text").isTextual() || !entry.path("files").isObject()
        || entry.size() != 2) {
      throw new IOException(where + ": an entry is exactly {\"text\": \"...\", \"files\": {\"<stream>\": \"<file>\"}}");
    }
    String text = entry.get("text").asText().strip();
    if (entries.containsKey(text)) {
      throw new IOException(where + ": \"" + text + "\" is listed twice");
    }
    Map<String, String> files = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = entry.get("files").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> file = it.next();
      TextStream stream = streams.get(file.getKey());
      if (stream == null) {
        throw new IOException(where + ": the bundle has no text stream '" + file.getKey() + "' (it has "
            + String.join(", ", streams.keySet()) + ")");
      }
      if (!file.getValue().isTextual() || !PLAIN_FILE.matcher(file.getValue().asText()).matches()) {
        throw new IOException(where + ": the file of stream '" + file.getKey()
            + "' must be a plain file name inside " + folder + ", got " + file.getValue());
      }
      checkSize(folder.resolve(file.getValue().asText()), text, stream);
      files.put(file.getKey(), file.getValue().asText());
    }
    for (String stream : required) {
      if (!files.containsKey(stream)) {
        throw new IOException(where + " (\"" + text + "\") has no file for stream '" + stream
            + "', which has no encoder in this bundle; every cached prompt needs one");
      }
    }
    entries.put(text, files);
  }

  private static void checkSize(Path file, String text, TextStream stream) throws IOException {
    long expected = 4L * DitTextInput.floats(stream.maxTokens(), stream.dim());
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "listed in the prompt cache for \"" + text
          + "\", stream '" + stream.name() + "', but missing");
    }
    long actual = Files.size(file);
    if (actual != expected) {
      throw new IOException(file + " (prompt \"" + text + "\", stream '" + stream.name() + "') has " + actual
          + " bytes; expected " + expected + " (" + stream.maxTokens() + " tokens × " + stream.dim()
          + " embedding floats, then " + stream.maxTokens() + " mask floats, float32)");
    }
  }

  /** The cached prompts in index order. */
  List<String> prompts() {
    return new ArrayList<>(entries.keySet());
  }

  /** Whether {@code prompt} (compared stripped, exactly) has cached inputs. */
  boolean contains(String prompt) {
    return entries.containsKey(prompt.strip());
  }

  /** Whether the cache holds {@code stream}'s input for {@code prompt}. */
  boolean has(String prompt, String stream) {
    Map<String, String> files = entries.get(prompt.strip());
    return files != null && files.containsKey(stream);
  }

  /**
   * Reads one stream's DiT input for a cached prompt, in {@link DitTextInput}'s layout.
   *
   * @throws IOException when the file cannot be read, holds a non-finite value or a mask value other than 0 or 1
   */
  float[] read(String prompt, String stream) throws IOException {
    Map<String, String> files = entries.get(prompt.strip());
    if (files == null || !files.containsKey(stream)) {
      throw new IllegalArgumentException("no cached input of stream '" + stream + "' for \"" + prompt + "\"");
    }
    TextStream spec = streams.get(stream);
    Path file = folder.resolve(files.get(stream));
    byte[] bytes = Files.readAllBytes(file);
    int floats = DitTextInput.floats(spec.maxTokens(), spec.dim());
    if (bytes.length != 4L * floats) {
      throw new IOException(file + " changed since the bundle was opened: " + bytes.length + " bytes, expected "
          + 4L * floats);
    }
    float[] values = new float[floats];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    int maskStart = spec.maxTokens() * spec.dim();
    for (int i = 0; i < floats; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IOException(file + ": value " + i + " is " + values[i] + "; cached embeddings must be finite");
      }
      if (i >= maskStart && values[i] != 0f && values[i] != 1f) {
        throw new IOException(file + ": mask value " + (i - maskStart) + " is " + values[i]
            + "; the mask after the " + maskStart + " embedding floats holds only 0 and 1");
      }
    }
    return values;
  }

  /** Up to {@code limit} cached prompts, quoted (each at most 40 characters), and how many more, for a message. */
  String describe(int limit) {
    StringBuilder out = new StringBuilder();
    int shown = 0;
    for (String text : entries.keySet()) {
      if (shown == limit) {
        break;
      }
      String head = text.length() > 40 ? text.substring(0, 40) + "..." : text;
      out.append(shown == 0 ? "" : ", ").append('"').append(head).append('"');
      shown++;
    }
    int more = entries.size() - shown;
    return more > 0 ? out + " and " + more + " more" : out.toString();
  }
}
