package org.worldexplorer.app.record;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.joml.Matrix4dc;
import org.joml.Matrix4f;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.session.ChunkResult;
import org.worldexplorer.runtime.session.WorldSession;

/**
 * The inputs of the current session since its chunk 0 (prompt, every chunk's actions and poses, every prompt
 * event), kept so that a recording started midway can still write a log that replays from the start. A few
 * hundred bytes per chunk. Generation thread only.
 */
final class SessionJournal {

  private final List<ChunkEntry> chunks = new ArrayList<>();
  private final List<PromptEvent> prompts = new ArrayList<>();
  private final MessageDigest digest = Hashes.sha256();
  private final Matrix4f pose = new Matrix4f();
  private ByteBuffer latentBytes;
  private String startPrompt = "";
  private String currentPrompt = "";

  /** Forgets the previous session; {@code prompt} is the new one's prompt at chunk 0. */
  void restart(String prompt) {
    chunks.clear();
    prompts.clear();
    startPrompt = prompt;
    currentPrompt = prompt;
  }

  String startPrompt() {
    return startPrompt;
  }

  /** The prompt that the next chunk will use. */
  String currentPrompt() {
    return currentPrompt;
  }

  PromptEvent prompt(int chunk, String text) {
    PromptEvent event = new PromptEvent(chunk, text);
    prompts.add(event);
    currentPrompt = text;
    return event;
  }

  /** Records the chunk just generated and returns its log entry (without frame hashes). */
  ChunkEntry chunk(WorldSession session, DualAction[] actions, Matrix4dc[] poses, ChunkResult result) {
    int latents = session.chunkLatents();
    List<double[]> cameraToWorld = new ArrayList<>(latents);
    for (int l = 0; l < latents; l++) {
      double[] rowMajor = new double[16];
      if (poses != null && result.firstLatent() + l > 0) {
        for (int i = 0; i < 16; i++) {
          rowMajor[i] = poses[l].get(i % 4, i / 4);
        }
      } else {
        session.track().cameraToWorld(result.firstLatent() + l, pose);
        for (int i = 0; i < 16; i++) {
          rowMajor[i] = pose.get(i % 4, i / 4);
        }
      }
      cameraToWorld.add(rowMajor);
    }
    ChunkEntry entry = new ChunkEntry(result.chunkIndex(), Arrays.asList(actions).subList(0, latents),
        cameraToWorld, hashLatents(result.latents()), List.of());
    chunks.add(entry);
    return entry;
  }

  private String hashLatents(FloatBuffer latents) {
    int bytes = 4 * latents.remaining();
    if (latentBytes == null || latentBytes.capacity() != bytes) {
      latentBytes = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
    latentBytes.clear();
    latentBytes.asFloatBuffer().put(latents.duplicate());
    return Hashes.ofBuffer(digest, latentBytes);
  }

  /** Chunks before {@code chunk}. */
  List<ChunkEntry> chunksBefore(int chunk) {
    return List.copyOf(chunks.subList(0, Math.min(chunk, chunks.size())));
  }

  /** Prompt events up to and including chunk {@code chunk}. */
  List<PromptEvent> promptsUpTo(int chunk) {
    return prompts.stream().filter(p -> p.chunk() <= chunk).toList();
  }
}
