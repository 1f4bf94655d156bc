package org.worldexplorer.runtime.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.ModelsPython;

/**
 * The manifests the two full-size exporters write ({@code --manifest-only}: no checkpoint, every graph entry at
 * the published size) pass the runtime's manifest reader and contract checks (load checks 1 and 3), so an
 * exported bundle is refused only for what its graph files hold.
 */
class ExportedManifestTest {

  @Test
  void theEightBillionManifestFollowsTheContract(@TempDir Path temp) throws Exception {
    Manifest m = export("hy-worldplay-8b", temp);
    assertEquals(848, m.video().width());
    assertEquals(24, m.video().fps());
    assertEquals(1590, m.latent().height() * m.latent().width());
    assertEquals(List.of("llm", "byt5"), m.text().streams().stream().map(TextStream::name).toList());
    TextStream llm = m.text().streams().get(0);
    assertEquals(PromptSpec.TEMPLATE, llm.prompt().kind());
    assertTrue(llm.prompt().cropCountedByHost(), "the host counts the chat template's tokens");
    assertTrue(llm.prompt().templatePrefix().endsWith("<|im_start|>user\n"), llm.prompt().templatePrefix());
    TextStream glyphs = m.text().streams().get(1);
    assertEquals(TokenizerSpec.BYTES, glyphs.tokenizer().kind());
    assertEquals(PromptSpec.QUOTED_GLYPHS, glyphs.prompt().kind());
    assertEquals(729, m.vision().tokens());
    assertEquals(Set.of("vae_encoder", "dit_chunk", "vae_decoder_first", "vae_decoder", "text_encoder_llm",
        "text_encoder_byt5", "image_encoder"), Set.copyOf(m.graphKeys()));
    double gib = FootprintEstimate.of(m).totalBytes() / (double) (1L << 30);
    System.out.printf("hy-worldplay-8b bf16 848x480: estimate %.1f GiB at %d context latents%n", gib,
        m.memory().contextLatents());
    assertTrue(gib > 60 && gib < 120, "8B bf16 at full context: " + gib + " GiB");
  }

  @Test
  void theFiveBillionManifestFollowsTheContract(@TempDir Path temp) throws Exception {
    Manifest m = export("worldplay-5b", temp);
    assertEquals(1280, m.video().width());
    assertEquals(16, m.video().fps());
    assertEquals(48, m.latent().channels());
    assertEquals(List.of(1.0, 0.96, 0.8888889, 0.7272728, 0.0), m.sampler().sigmas());
    assertEquals(16, m.memory().contextLatents());
    assertEquals(List.of(), m.memory().alwaysIncluded());
    assertNull(m.vision());
    assertEquals(List.of("umt5"), m.text().streams().stream().map(TextStream::name).toList());
    double gib = FootprintEstimate.of(m).totalBytes() / (double) (1L << 30);
    System.out.printf("worldplay-5b bf16 1280x704: estimate %.1f GiB at %d context latents%n", gib,
        m.memory().contextLatents());
    assertTrue(gib > 25 && gib < 80, "5B bf16 at full context: " + gib + " GiB");
  }

  private static Manifest export(String variant, Path temp) throws Exception {
    ModelsPython.require("the exporters' manifests", List.of("torch", "onnx", "numpy"),
        "python3-torch python3-onnx python3-numpy");
    Path out = temp.resolve(variant).toAbsolutePath();
    ModelsPython.run(List.of(ModelsPython.PYTHON.toString(), "-m", "worldexplorer_models.export", variant,
        "--manifest-only", "--out", out.toString()), 300);
    Manifest manifest = ManifestReader.read(out.resolve(ManifestReader.FILE_NAME));
    BundleContract contract = BundleContract.of(manifest);
    for (String key : manifest.graphKeys()) {
      assertEquals(List.of(), ContractCheck.problems(contract.graph(key), manifest.graph(key)), key);
    }
    assertTrue(manifest.learned());
    return manifest;
  }
}
