package org.worldexplorer.runtime.memory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The fixed Monte-Carlo points of view-overlap scoring: 50,000 points uniform in a ball of radius 8, shared with
 * the Python tools ({@code models/tools/make_memory_points.py}) so both sides score identically. Immutable.
 */
public final class MonteCarloPoints {

  /** Radius of the ball the shipped points were drawn in. */
  public static final double RADIUS = 8.0;

  private static final String RESOURCE = "mc_points_50000.f32";
  private static final int COUNT = 50_000;
  private static MonteCarloPoints shared;

  private final float[] xyz;

  private MonteCarloPoints(float[] xyz) {
    this.xyz = xyz;
  }

  /** The shipped points, loaded once per class loader. */
  public static synchronized MonteCarloPoints shared() {
    if (shared == null) {
      shared = new MonteCarloPoints(load());
    }
    return shared;
  }

  /** Number of points. */
  public int size() {
    return xyz.length / 3;
  }

  /** Coordinate {@code axis} (0 = x, 1 = y, 2 = z) of point {@code i}. */
  public float coordinate(int i, int axis) {
    return xyz[3 * i + axis];
  }

  private static float[] load() {
    int bytes = COUNT * 3 * Float.BYTES;
    try (InputStream in = MonteCarloPoints.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + RESOURCE + " is missing next to " + MonteCarloPoints.class
            + "; regenerate it with models/tools/make_memory_points.py");
      }
      byte[] raw = in.readAllBytes();
      if (raw.length != bytes) {
        throw new IllegalStateException("resource " + RESOURCE + " has " + raw.length + " bytes, expected " + bytes
            + " (50,000 little-endian float32 triples); regenerate it with models/tools/make_memory_points.py");
      }
      float[] xyz = new float[COUNT * 3];
      ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(xyz);
      return xyz;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
    }
  }
}
