package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.bundle.PromptSpec;
import org.worldexplorer.runtime.bundle.TextStream;
import org.worldexplorer.runtime.bundle.TokenizerSpec;

/** Reading a bundle's prompt_cache/: the index, file sizes, values, and the list shown to a person. */
class PromptCacheTest {

  // Stream 'llm': 2 tokens of dim 3 (8 floats per prompt); stream 'glyph': 1 token of dim 2 (3 floats).
  private static final TextStream LLM = new TextStream("llm", "text_encoder_llm.onnx", 3, 2,
      new TokenizerSpec("simple", "tokenizer_llm.json"), PromptSpec.plain());
  private static final TextStream GLYPH = new TextStream("glyph", "text_encoder_glyph.onnx", 2, 1,
      new TokenizerSpec("bytes", null), new PromptSpec("quoted_glyphs", null, 0));

  @TempDir Path bundle;

  private Path folder() throws IOException {
    return Files.createDirectories(bundle.resolve("prompt_cache"));
  }

  private void writeFloats(String name, float... values) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    Files.write(folder().resolve(name), bytes.array());
  }

  private void writeIndex(String json) throws IOException {
    Files.writeString(folder().resolve("index.json"), json);
  }

  private PromptCache open() throws IOException {
    return PromptCache.open(bundle, "prompt_cache", List.of(LLM, GLYPH), Set.of("llm"));
  }

  private void writeTwoPrompts() throws IOException {
    writeFloats("0001_llm.f32", 1, 2, 3, 4, 5, 6, 1, 0);
    writeFloats("0002_llm.f32", -1, -2, -3, 0, 0, 0, 1, 0);
    writeFloats("0002_glyph.f32", 7, 8, 1);
    writeIndex("{\"prompts\": [{\"text\": \"a storm rolls in\", \"files\": {\"llm\": \"0001_llm.f32\"}},"
        + " {\"text\": \"a sign \\\"OPEN\\\"\", \"files\": {\"llm\": \"0002_llm.f32\", \"glyph\": \"0002_glyph.f32\"}}]}");
  }

  @Test
  void cachedPromptsAreListedInOrderAndReadAsEmbeddingsThenMask() throws IOException {
    writeTwoPrompts();
    PromptCache cache = open();
    assertEquals(List.of("a storm rolls in", "a sign \"OPEN\""), cache.prompts());
    assertTrue(cache.contains("  a storm rolls in "), "prompts compare stripped");
    assertFalse(cache.contains("A storm rolls in"));
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 1, 0}, cache.read("a storm rolls in", "llm"));
    assertArrayEquals(new float[] {7, 8, 1}, cache.read("a sign \"OPEN\"", "glyph"));
    assertTrue(cache.has("a sign \"OPEN\"", "glyph"));
    assertFalse(cache.has("a storm rolls in", "glyph"), "a stream with an encoder need not be cached");
  }

  @Test
  void theMessageNamesAtMostTheGivenNumberOfPromptsAndCountsTheRest() throws IOException {
    writeTwoPrompts();
    PromptCache cache = open();
    assertEquals("\"a storm rolls in\" and 1 more", cache.describe(1));
    assertEquals("\"a storm rolls in\", \"a sign \"OPEN\"\"", cache.describe(5));
  }

  @Test
  void aLongCachedPromptIsShortenedInTheMessage() throws IOException {
    writeFloats("0001_llm.f32", 1, 2, 3, 4, 5, 6, 1, 0);
    String text = "a storm rolls in over the hills and the river floods the valley";
    writeIndex("{\"prompts\": [{\"text\": \"" + text + "\", \"files\": {\"llm\": \"0001_llm.f32\"}}]}");
    assertEquals("\"" + text.substring(0, 40) + "...\"", open().describe(5));
  }

  @Test
  void aFileOfTheWrongSizeIsNamedWithExpectedAndActualBytes() throws IOException {
    writeTwoPrompts();
    writeFloats("0001_llm.f32", 1, 2, 3, 4, 5, 6, 1);
    String message = assertThrows(IOException.class, this::open).getMessage();
    assertTrue(message.contains("0001_llm.f32") && message.contains("has 28 bytes; expected 32"), message);
  }

  @Test
  void aMissingFileIsNamed() throws IOException {
    writeTwoPrompts();
    Files.delete(bundle.resolve("prompt_cache/0002_glyph.f32"));
    NoSuchFileException e = assertThrows(NoSuchFileException.class, this::open);
    assertTrue(e.getMessage().contains("0002_glyph.f32"), e.getMessage());
  }

  @Test
  void everyPromptNeedsAFileForEachStreamWithoutEncoder() throws IOException {
    writeFloats("0002_glyph.f32", 7, 8, 1);
    writeIndex("{\"prompts\": [{\"text\": \"fog\", \"files\": {\"glyph\": \"0002_glyph.f32\"}}]}");
    String message = assertThrows(IOException.class, this::open).getMessage();
    assertTrue(message.contains("no file for stream 'llm'") && message.contains("\"fog\""), message);
  }

  @Test
  void badIndexesAreRefusedWithWhatIsWrong() throws IOException {
    writeFloats("0001_llm.f32", 1, 2, 3, 4, 5, 6, 1, 0);
    writeIndex("{\"prompts\": [{\"text\": \"fog\", \"files\": {\"llmm\": \"0001_llm.f32\"}}]}");
    assertTrue(assertThrows(IOException.class, this::open).getMessage().contains("no text stream 'llmm'"));
    writeIndex("{\"prompts\": [{\"text\": \"fog\", \"files\": {\"llm\": \"../0001_llm.f32\"}}]}");
    assertTrue(assertThrows(IOException.class, this::open).getMessage().contains("plain file name"));
    writeIndex("{\"prompts\": [{\"text\": \"fog\", \"files\": {\"llm\": \"0001_llm.f32\"}},"
        + " {\"text\": \"fog \", \"files\": {\"llm\": \"0001_llm.f32\"}}]}");
    assertTrue(assertThrows(IOException.class, this::open).getMessage().contains("listed twice"));
    writeIndex("{\"prompts\": []}");
    assertTrue(assertThrows(IOException.class, this::open).getMessage().contains("lists no prompts"));
    writeIndex("{\"prompt\": []}");
    assertTrue(assertThrows(IOException.class, this::open).getMessage().contains("must be {\"prompts\""));
    writeIndex("{\"prompts\": [");
    assertTrue(assertThrows(IOException.class, this::open).getMessage().contains("not valid JSON"));
    Files.delete(bundle.resolve("prompt_cache/index.json"));
    assertTrue(assertThrows(NoSuchFileException.class, this::open).getMessage().contains("index.json"));
  }

  @Test
  void aMaskValueOtherThanZeroOrOneShowsAWrongLayout() throws IOException {
    writeFloats("0001_llm.f32", 1, 2, 3, 4, 5, 6, 1, 0.5f);
    writeIndex("{\"prompts\": [{\"text\": \"fog\", \"files\": {\"llm\": \"0001_llm.f32\"}}]}");
    String message = assertThrows(IOException.class, () -> open().read("fog", "llm")).getMessage();
    assertTrue(message.contains("mask value 1 is 0.5"), message);
  }
}
