package org.worldexplorer.runtime.latent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.joml.Matrix4f;
import org.joml.Matrix4fc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.action.DualAction;

class LatentStoreTest {

  private static final LatentShape SHAPE = new LatentShape(3, 4, 5); // 60 floats, 240 bytes
  private static final int RAM = 8;
  private static final int SEGMENT = 5;

  @TempDir Path dir;

  /** The naive reference: every latent ever appended, as its own [C, h, w] array. */
  private final List<float[]> naive = new ArrayList<>();

  private final Random random = new Random(7);

  @Test
  void ringWrapAndSpillReadBackWhatWasWritten() {
    try (LatentStore store = new LatentStore(SHAPE, RAM, dir, SEGMENT)) {
      FloatBuffer one = direct(SHAPE.floats());
      for (int chunk = 0; chunk < 58; chunk++) {
        int count = chunk % 2 == 0 ? 4 : 3; // odd sizes keep ring slots and chunk starts out of step
        appendRandomChunk(store, count);
        for (int i = naive.size() - count; i < naive.size(); i++) {
          assertLatent(store, i, one);
        }
        assertLatent(store, random.nextInt(naive.size()), one);
      }
      assertEquals(203, store.latentCount());
      for (int i = 0; i < naive.size(); i++) {
        assertLatent(store, i, one);
      }
      assertFalse(store.inRam(194));
      assertTrue(store.inRam(195));
    }
  }

  @Test
  void gathersContextLatentsIntoChannelMajorChunkLayout() {
    try (LatentStore store = new LatentStore(SHAPE, RAM, dir, SEGMENT)) {
      for (int chunk = 0; chunk < 10; chunk++) {
        appendRandomChunk(store, 4);
      }
      int[] picked = {0, 17, 39}; // spilled, spilled, in RAM
      FloatBuffer context = direct(2 + picked.length * SHAPE.floats());
      context.position(2);
      for (int slot = 0; slot < picked.length; slot++) {
        store.readIntoChunk(picked[slot], context, slot, picked.length);
      }
      assertEquals(2, context.position());
      int plane = SHAPE.plane();
      for (int slot = 0; slot < picked.length; slot++) {
        float[] expected = naive.get(picked[slot]);
        for (int c = 0; c < SHAPE.channels(); c++) {
          for (int p = 0; p < plane; p++) {
            assertEquals(
                expected[c * plane + p], context.get(2 + (c * picked.length + slot) * plane + p),
                "latent " + picked[slot] + " channel " + c + " element " + p);
          }
        }
      }
    }
  }

  @Test
  void ramStaysAtCapacityWhileTheSpillFileGrowsInSegments() throws Exception {
    try (LatentStore store = new LatentStore(SHAPE, RAM, dir, SEGMENT)) {
      long ram = store.ramBytes();
      assertEquals(RAM * 240L, ram);
      for (int chunk = 0; chunk < 50; chunk++) {
        appendRandomChunk(store, 4);
      }
      assertEquals(ram, store.ramBytes());
      assertEquals(192, store.spilledLatents());
      // 192 spilled latents need ceil(192 / 5) = 39 segments of 5 * 240 bytes
      assertEquals(39 * 1200L, store.spillFileBytes());
      assertEquals(39 * 1200L, Files.size(store.spillPath()));
    }
  }

  @Test
  void anHourOfLatentsKeepsEveryPoseAndLatentWithoutAllocatingPerAppend() {
    LatentShape tiny = new LatentShape(1, 2, 2);
    int hour = 21_600;
    Matrix4fc[] poses = new Matrix4fc[4];
    float[] fx = new float[4];
    float[] fy = new float[4];
    DualAction[] actions = new DualAction[DualAction.LABEL_COUNT];
    for (int a = 0; a < actions.length; a++) {
      actions[a] = new DualAction(a, 0.1f * a, -0.1f * a, a, -a);
    }
    DualAction[] chunkActions = new DualAction[4];
    Matrix4f[] matrices = {new Matrix4f(), new Matrix4f(), new Matrix4f(), new Matrix4f()};
    FloatBuffer chunk = direct(4 * tiny.floats());
    long allocatedInSteadyState = 0;
    try (LatentStore store = new LatentStore(tiny, 20, dir, 4096)) {
      long before = 0;
      for (int start = 0; start < hour; start += 4) {
        // latents 1200..1599: pose capacity 2048 and spill segment 0, so nothing has to grow
        if (start == 1200) {
          before = allocatedBytes();
        }
        for (int l = 0; l < 4; l++) {
          int i = start + l;
          poses[l] = matrices[l].translation(i, 2 * i, -i);
          fx[l] = 0.5f;
          fy[l] = 0.9f;
          chunkActions[l] = actions[i % DualAction.LABEL_COUNT];
          for (int p = 0; p < 4; p++) {
            chunk.put(l * 4 + p, i + 0.25f * p); // one channel: [1, 4, 2, 2] is latent-major
          }
        }
        store.append(chunk, 4, poses, fx, fy, chunkActions);
        if (start == 1596) {
          allocatedInSteadyState = allocatedBytes() - before - allocatedBytesOverhead();
        }
      }
      assertEquals(hour, store.size());
      assertEquals(hour, store.latentCount());
      assertEquals(tiny.bytes() * 20L, store.ramBytes());
      Matrix4f w2c = new Matrix4f();
      FloatBuffer one = direct(4);
      for (int i : new int[] {0, 1, 12_345, hour - 21, hour - 20, hour - 1}) {
        assertEquals(new Matrix4f().translation(i, 2 * i, -i), store.worldToCamera(i, w2c), "pose " + i);
        assertEquals(actions[i % DualAction.LABEL_COUNT], store.action(i));
        assertEquals(i % DualAction.LABEL_COUNT, store.actionLabel(i));
        assertEquals(0.5f, store.fx(i));
        assertEquals(0.9f, store.fy(i));
        store.read(i, one);
        assertEquals(i + 0.75f, one.get(3), "latent " + i);
      }
    }
    if (allocatedBytes() >= 0) {
      assertTrue(allocatedInSteadyState < 1024, "100 appends allocated " + allocatedInSteadyState + " bytes");
    }
  }

  @Test
  void rejectsNaNAndInfinityNamingLatentAndElementAndKeepsNothing() {
    try (LatentStore store = new LatentStore(SHAPE, RAM, dir, SEGMENT)) {
      appendRandomChunk(store, 4);
      FloatBuffer chunk = randomChunk(4);
      int plane = SHAPE.plane();
      // channel 1, chunk latent 2, y 3, x 4 -> element (1 * 4 + 3) * 5 + 4 = 39 of latent 4 + 2 = 6
      chunk.put((1 * 4 + 2) * plane + 3 * 5 + 4, Float.NaN);
      NonFiniteLatentException nan =
          assertThrows(
              NonFiniteLatentException.class, () -> store.append(chunk, 4, poses(4), fx(4), fy(4), still(4)));
      assertTrue(nan.getMessage().startsWith("NaN in a latent: latent 6, element 39 (channel 1, y 3, x 4)"),
          nan.getMessage());
      assertEquals(6, nan.latentIndex());
      assertEquals(39, nan.element());
      assertEquals(4, store.size());
      assertEquals(4, store.latentCount());

      FloatBuffer inf = randomChunk(1);
      inf.put(0, Float.NEGATIVE_INFINITY);
      store.appendPoses(1, poses(1), fx(1), fy(1), still(1));
      NonFiniteLatentException infinity =
          assertThrows(NonFiniteLatentException.class, () -> store.appendLatents(inf, 1));
      assertTrue(infinity.getMessage().startsWith("Infinity in a latent: latent 4, element 0"));
      assertEquals(4, store.latentCount());
    }
  }

  @Test
  void posesMayArriveBeforeTheirLatents() {
    try (LatentStore store = new LatentStore(SHAPE, RAM, dir, SEGMENT)) {
      Matrix4fc[] ahead = poses(4);
      store.appendPoses(4, ahead, fx(4), fy(4), still(4));
      assertEquals(4, store.size());
      assertEquals(0, store.latentCount());
      assertEquals(ahead[3], store.worldToCamera(3, new Matrix4f()));
      assertThrows(IndexOutOfBoundsException.class, () -> store.read(0, direct(SHAPE.floats())));
      assertThrows(IllegalStateException.class, () -> store.append(randomChunk(4), 4, ahead, fx(4), fy(4), still(4)));
      assertThrows(IllegalStateException.class, () -> store.appendLatents(randomChunk(5), 5));
      FloatBuffer chunk = randomChunk(4);
      store.appendLatents(chunk, 4);
      assertEquals(4, store.latentCount());
      FloatBuffer one = direct(SHAPE.floats());
      store.read(2, one);
      assertEquals(chunk.get(2 * SHAPE.plane()), one.get(0));
    }
  }

  @Test
  void rejectsBadPosesAndIndices() {
    try (LatentStore store = new LatentStore(SHAPE, RAM, dir, SEGMENT)) {
      Matrix4fc[] bad = poses(2);
      bad[1] = new Matrix4f().m30(Float.NaN);
      assertThrows(IllegalArgumentException.class, () -> store.appendPoses(2, bad, fx(2), fy(2), still(2)));
      assertThrows(IllegalArgumentException.class, () -> store.appendPoses(2, poses(2), new float[2], fy(2), still(2)));
      assertThrows(IllegalArgumentException.class, () -> store.appendPoses(3, poses(2), fx(3), fy(3), still(3)));
      assertThrows(IllegalArgumentException.class, () -> store.append(randomChunk(1), 2, poses(2), fx(2), fy(2),
          still(2)));
      assertEquals(0, store.size());
      assertThrows(IndexOutOfBoundsException.class, () -> store.worldToCamera(0, new Matrix4f()));
      appendRandomChunk(store, 2);
      assertThrows(IndexOutOfBoundsException.class, () -> store.read(2, direct(SHAPE.floats())));
      assertThrows(IllegalArgumentException.class, () -> store.read(0, direct(SHAPE.floats() - 1)));
      assertThrows(IllegalArgumentException.class,
          () -> store.readIntoChunk(0, direct(2 * SHAPE.floats()), 2, 2));
    }
  }

  @Test
  void closeDeletesTheSpillFileAndLaterUseFailsClearly() {
    LatentStore store = new LatentStore(SHAPE, RAM, dir, SEGMENT);
    for (int chunk = 0; chunk < 5; chunk++) {
      appendRandomChunk(store, 4);
    }
    Path spill = store.spillPath();
    assertTrue(Files.exists(spill));
    store.close();
    assertFalse(Files.exists(spill));
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> store.read(0, direct(SHAPE.floats())));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertThrows(IllegalStateException.class, store::size);
    assertThrows(IllegalStateException.class, () -> store.worldToCamera(0, new Matrix4f()));
    assertThrows(IllegalStateException.class, () -> store.append(randomChunk(1), 1, poses(1), fx(1), fy(1),
        still(1)));
    store.close(); // idempotent
  }

  // ---------------------------------------------------------------- helpers

  private void appendRandomChunk(LatentStore store, int count) {
    FloatBuffer chunk = randomChunk(count);
    int plane = SHAPE.plane();
    for (int l = 0; l < count; l++) {
      float[] latent = new float[SHAPE.floats()];
      for (int c = 0; c < SHAPE.channels(); c++) {
        for (int p = 0; p < plane; p++) {
          latent[c * plane + p] = chunk.get((c * count + l) * plane + p);
        }
      }
      naive.add(latent);
    }
    store.append(chunk, count, poses(count), fx(count), fy(count), still(count));
  }

  private FloatBuffer randomChunk(int count) {
    FloatBuffer chunk = direct(count * SHAPE.floats());
    for (int i = 0; i < chunk.capacity(); i++) {
      chunk.put(i, (float) random.nextGaussian());
    }
    return chunk;
  }

  private void assertLatent(LatentStore store, int index, FloatBuffer scratch) {
    store.read(index, scratch);
    float[] expected = naive.get(index);
    for (int k = 0; k < expected.length; k++) {
      assertEquals(expected[k], scratch.get(k), "latent " + index + " element " + k);
    }
  }

  private Matrix4fc[] poses(int count) {
    Matrix4fc[] poses = new Matrix4fc[count];
    for (int i = 0; i < count; i++) {
      poses[i] = new Matrix4f().rotateY(random.nextFloat()).translate(random.nextFloat(), 0, random.nextFloat());
    }
    return poses;
  }

  private static float[] fx(int count) {
    float[] fx = new float[count];
    Arrays.fill(fx, 0.5051f);
    return fx;
  }

  private static float[] fy(int count) {
    float[] fy = new float[count];
    Arrays.fill(fy, 0.8979f);
    return fy;
  }

  private static DualAction[] still(int count) {
    DualAction[] actions = new DualAction[count];
    Arrays.fill(actions, DualAction.STILL);
    return actions;
  }

  private static FloatBuffer direct(int floats) {
    return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
  }

  /** Bytes this thread allocated so far, or -1 where the JVM does not count. */
  private static long allocatedBytes() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads) {
      return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
    return -1;
  }

  /** What asking for the count allocates by itself. */
  private static long allocatedBytesOverhead() {
    long first = allocatedBytes();
    return allocatedBytes() - first;
  }
}
