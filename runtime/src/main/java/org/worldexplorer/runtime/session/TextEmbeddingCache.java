package org.worldexplorer.runtime.session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.worldexplorer.runtime.bundle.ModelBundle;

/**
 * Prompt embeddings kept on disk between runs, one little-endian float32 file per (bundle, stream, prompt), named
 * by a SHA-256 of the bundle's manifest, the stream and the prompt, so another bundle or prompt never hits the
 * wrong file. A cache that cannot be read or written is skipped: it only saves time.
 */
final class TextEmbeddingCache {

  private final Path folder;
  private final String bundleKey;

  TextEmbeddingCache(Path folder, ModelBundle bundle) {
    this.folder = folder;
    String manifest;
    try {
      manifest = Files.readString(bundle.directory().resolve("manifest.json"));
    } catch (IOException e) {
      manifest = bundle.manifest().name();
    }
    this.bundleKey = sha256(manifest);
  }

  float[] read(String stream, String prompt, int floats) {
    Path file = fileFor(stream, prompt);
    try {
      if (!Files.isRegularFile(file) || Files.size(file) != 4L * floats) {
        return null;
      }
      ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      float[] values = new float[floats];
      bytes.asFloatBuffer().get(values);
      return values;
    } catch (IOException e) {
      return null;
    }
  }

  void write(String stream, String prompt, float[] values) {
    Path file = fileFor(stream, prompt);
    try {
      Files.createDirectories(folder);
      ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      bytes.asFloatBuffer().put(values);
      Path partial = Files.createTempFile(folder, "embedding", ".part");
      Files.write(partial, bytes.array());
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // A full disk or a read-only cache folder costs a re-encode next time, nothing more.
    }
  }

  Path fileFor(String stream, String prompt) {
    return folder.resolve(sha256(bundleKey + "\n" + stream + "\n" + prompt) + ".f32");
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
