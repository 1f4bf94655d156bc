package org.worldexplorer.runtime.camera;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.joml.Matrix4d;
import org.joml.Matrix4dc;
import org.worldexplorer.runtime.action.ActionLimits;
import org.worldexplorer.runtime.action.DiscreteLabeler;

/**
 * Parses upstream's pose strings (upstream-spec section 3.2), like {@code "w-3, right-1, d-4"}, into a
 * {@link Trajectory}.
 *
 * <p>Grammar: tokens separated by commas (empty tokens are skipped), each {@code action-N} with action one of
 * {@code w s a d up down left right} and N a non-negative decimal number of latents, truncated ({@code right-0.5}
 * adds nothing). Each latent moves the camera by one step of {@link ActionLimits}: w/s forward/back, d/a
 * right/left, right/left yaw, up/down pitch. Latent 0 is the identity, so {@code "w-31"} gives 32 latents.
 * Poses use the default intrinsics and are labelled from their relative poses.
 */
public final class PoseStringParser {

  /** The valid actions, for messages. */
  public static final String ACTIONS = "w, s, a, d, up, down, left, right";

  /** More latents than this in one token is certainly a typo (a latent is 1/6 s of video). */
  public static final int MAX_LATENTS_PER_TOKEN = 100_000;

  private static final Pattern NUMBER = Pattern.compile("\\+?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  private PoseStringParser() {}

  /** Parses {@code poseString} with the steps and label thresholds of {@code limits}. */
  public static Trajectory parse(String poseString, ActionLimits limits) {
    if (poseString == null) {
      throw new IllegalArgumentException("pose string must not be null; e.g. \"w-3, right-1, d-4\"");
    }
    List<Matrix4dc> poses = new ArrayList<>();
    Matrix4d pose = new Matrix4d();
    poses.add(new Matrix4d(pose));
    int start = 0;
    while (start <= poseString.length()) {
      int comma = poseString.indexOf(',', start);
      int end = comma < 0 ? poseString.length() : comma;
      appendToken(poseString, start, end, limits, pose, poses);
      start = end + 1;
    }
    List<NormalizedIntrinsics> intrinsics = new ArrayList<>(poses.size());
    for (int i = 0; i < poses.size(); i++) {
      intrinsics.add(NormalizedIntrinsics.DEFAULT);
    }
    return Trajectory.fromPoses(poses, intrinsics, new DiscreteLabeler(limits), List.of());
  }

  private static void appendToken(String text, int start, int end, ActionLimits limits, Matrix4d pose,
      List<Matrix4dc> poses) {
    String raw = text.substring(start, end);
    String token = raw.strip();
    if (token.isEmpty()) {
      return;
    }
    int column = start + raw.indexOf(token.charAt(0)) + 1;
    String[] parts = token.split("-", -1);
    if (parts.length != 2) {
      throw new PoseStringException(column, token, "expected exactly one '-' between action and count");
    }
    String action = parts[0].strip();
    String count = parts[1].strip();
    double[] step = stepOf(action, limits);
    if (step == null) {
      throw new PoseStringException(column, token, "unknown action \"" + action + "\"");
    }
    if (!NUMBER.matcher(count).matches()) {
      throw new PoseStringException(column, token, "count \"" + count + "\" is not a non-negative number");
    }
    double value = Double.parseDouble(count);
    if (!(value < MAX_LATENTS_PER_TOKEN + 1)) {
      throw new PoseStringException(column, token, "count " + count + " is more than "
          + MAX_LATENTS_PER_TOKEN + " latents");
    }
    int latents = (int) value;
    for (int i = 0; i < latents; i++) {
      CameraStep.apply(pose, step[0], step[1], step[2], step[3]);
      poses.add(new Matrix4d(pose));
    }
  }

  /** One latent's {forward, right, yaw, pitch} for {@code action}, or null if it is not an action. */
  private static double[] stepOf(String action, ActionLimits limits) {
    double t = limits.translationStep();
    double r = limits.rotationStepDegrees();
    switch (action) {
      case "w": return new double[] {t, 0, 0, 0};
      case "s": return new double[] {-t, 0, 0, 0};
      case "d": return new double[] {0, t, 0, 0};
      case "a": return new double[] {0, -t, 0, 0};
      case "right": return new double[] {0, 0, r, 0};
      case "left": return new double[] {0, 0, -r, 0};
      case "up": return new double[] {0, 0, 0, r};
      case "down": return new double[] {0, 0, 0, -r};
      default: return null;
    }
  }
}
