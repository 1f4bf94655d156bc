package org.worldexplorer.runtime.camera;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.joml.Matrix4f;
import org.joml.Vector3f;
import org.junit.jupiter.api.Test;
import org.worldexplorer.runtime.action.DualAction;

class CameraTrackTest {

  private static final float EPS = 1e-6f;

  private static Vector3f position(CameraTrack track, int latent) {
    return track.cameraToWorld(latent, new Matrix4f()).getTranslation(new Vector3f());
  }

  /** The camera's forward axis (third column of camera-to-world) in world coordinates. */
  private static Vector3f forwardAxis(CameraTrack track, int latent) {
    return track.cameraToWorld(latent, new Matrix4f()).getColumn(2, new Vector3f());
  }

  private static void assertVector(float x, float y, float z, Vector3f actual) {
    assertEquals(x, actual.x, EPS, "x of " + actual);
    assertEquals(y, actual.y, EPS, "y of " + actual);
    assertEquals(z, actual.z, EPS, "z of " + actual);
  }

  @Test
  void startsAtTheIdentity() {
    CameraTrack track = new CameraTrack(4);
    assertEquals(1, track.size());
    assertTrue(track.cameraToWorld(0, new Matrix4f()).equals(new Matrix4f(), 0f));
    assertTrue(track.worldToCamera(0, new Matrix4f()).equals(new Matrix4f(), 0f));
  }

  @Test
  void forwardStepMovesAlongLocalZ() {
    CameraTrack track = new CameraTrack(4);
    assertEquals(1, track.append(new DualAction(9, 0.08f, 0f, 0f, 0f)));
    assertVector(0, 0, 0.08f, position(track, 1));
    assertVector(0, 0, -0.08f, track.worldToCamera(1, new Matrix4f()).getTranslation(new Vector3f()));
  }

  @Test
  void yawRightTurnsForwardTowardPlusX() {
    CameraTrack track = new CameraTrack(4);
    track.append(1, 0, 90, 0);
    assertVector(1, 0, 0, forwardAxis(track, 1));
    assertVector(1, 0, 0, position(track, 1));
  }

  @Test
  void pitchUpTurnsForwardTowardMinusY() {
    CameraTrack track = new CameraTrack(4);
    track.append(1, 0, 0, 90);
    assertVector(0, -1, 0, forwardAxis(track, 1));
    assertVector(0, -1, 0, position(track, 1));
  }

  @Test
  void yawIsAppliedBeforePitchAboutLocalAxesAndTranslationUsesTheRotatedFrame() {
    // R = Ry(90) Rx(90) = [[0,1,0],[0,0,-1],[-1,0,0]]: forward (column 2) is (0,-1,0), right (column 0) is
    // (0,0,-1), so one step forward and one right lands at (0,-1,-1).
    CameraTrack track = new CameraTrack(4);
    track.append(1, 1, 90, 90);
    Matrix4f c2w = track.cameraToWorld(1, new Matrix4f());
    assertVector(0, 0, -1, c2w.getColumn(0, new Vector3f()));
    assertVector(1, 0, 0, c2w.getColumn(1, new Vector3f()));
    assertVector(0, -1, 0, c2w.getColumn(2, new Vector3f()));
    assertVector(0, -1, -1, position(track, 1));
  }

  @Test
  void rotationsAccumulateAboutTheCamerasOwnAxes() {
    // After pitching up 90, R1 = Rx(90) has columns x=(1,0,0), y=(0,0,1), z=(0,-1,0). A later yaw of 90 is
    // about the camera's own y: forward = R1 Ry(90) (0,0,1) = R1 (1,0,0) = (1,0,0). About world y it would
    // have stayed (0,-1,0).
    CameraTrack track = new CameraTrack(4);
    track.append(0, 0, 0, 90);
    track.append(0, 0, 90, 0);
    assertVector(1, 0, 0, forwardAxis(track, 2));
  }

  @Test
  void upstreamDemoPathEndsWhereWorkedOut() {
    // 15 x forward 0.08, then 16 x yaw right 3 degrees: at (0, 0, 1.2), forward 48 degrees right of +z.
    CameraTrack track = new CameraTrack(64);
    for (int i = 0; i < 15; i++) {
      track.append(0.08, 0, 0, 0);
    }
    for (int i = 0; i < 16; i++) {
      track.append(0, 0, 3, 0);
    }
    assertEquals(32, track.size());
    assertVector(0, 0, 1.2f, position(track, 31));
    assertVector((float) Math.sin(Math.toRadians(48)), 0, (float) Math.cos(Math.toRadians(48)),
        forwardAxis(track, 31));
  }

  @Test
  void worldToCameraIsTheInverse() {
    CameraTrack track = new CameraTrack(4);
    track.append(0.3, -0.2, 17, -11);
    track.append(0.1, 0.05, -5, 4);
    Matrix4f product = track.worldToCamera(2, new Matrix4f()).mul(track.cameraToWorld(2, new Matrix4f()));
    assertTrue(product.equals(new Matrix4f(), 1e-6f), product.toString());
  }

  @Test
  void rowMajorExportPutsTheTranslationInTheLastColumn() {
    CameraTrack track = new CameraTrack(4);
    track.append(0.08, 0, 0, 0);
    FloatBuffer buffer = FloatBuffer.allocate(16);
    track.putWorldToCameraRowMajor(1, buffer);
    float[] expected = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, -0.08f, 0, 0, 0, 1};
    assertArrayEquals(expected, buffer.array(), EPS);
    assertEquals(16, buffer.position());
  }

  @Test
  void growsPastItsInitialCapacity() {
    CameraTrack track = new CameraTrack(1);
    for (int i = 0; i < 100; i++) {
      track.append(0.08, 0, 0, 0);
    }
    assertEquals(101, track.size());
    assertVector(0, 0, 4.0f, position(track, 50));
    assertVector(0, 0, 8.0f, position(track, 100));
  }

  @Test
  void stillAndAbsolutePosesAppend() {
    CameraTrack track = new CameraTrack(4);
    track.append(0.08, 0, 0, 0);
    track.appendStill();
    assertVector(0, 0, 0.08f, position(track, 2));
    track.appendPose(new org.joml.Matrix4d().translation(1, 2, 3));
    track.append(0.5, 0, 0, 0);
    assertVector(1, 2, 3.5f, position(track, 4));
  }

  @Test
  void resetKeepsOnlyLatentZero() {
    CameraTrack track = new CameraTrack(4);
    track.append(0.08, 0, 10, 0);
    track.reset();
    assertEquals(1, track.size());
    track.append(0.08, 0, 0, 0);
    assertVector(0, 0, 0.08f, position(track, 1));
  }

  @Test
  void readingOutsideTheTrackNamesTheRange() {
    CameraTrack track = new CameraTrack(4);
    IndexOutOfBoundsException e =
        assertThrows(IndexOutOfBoundsException.class, () -> track.worldToCamera(1, new Matrix4f()));
    assertEquals("latent 1 is not on the track; it holds 0..0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new CameraTrack(0));
  }

  @Test
  void appendingWithinCapacityAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    CameraTrack track = new CameraTrack(30_001);
    long id = Thread.currentThread().getId();
    for (int i = 0; i < 10_000; i++) {
      track.append(0.08, 0.01, 0.5, -0.25);
    }
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < 20_000; i++) {
      track.append(0.08, 0.01, 0.5, -0.25);
    }
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    assertTrue(allocated < 1024, "20,000 appends allocated " + allocated + " bytes");
  }
}
