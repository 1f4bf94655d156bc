package org.worldexplorer.app.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.joml.Matrix4d;
import org.joml.Matrix4dc;
import org.worldexplorer.runtime.action.ActionLimits;
import org.worldexplorer.runtime.bundle.ActionSpec;
import org.worldexplorer.runtime.bundle.CudaOptions;
import org.worldexplorer.runtime.bundle.ExecutionProvider;
import org.worldexplorer.runtime.bundle.Manifest;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.SessionSettings;
import org.worldexplorer.runtime.camera.Trajectory;

/** What render, replay and resume share: building a log header, and checking a log against a bundle and image. */
public final class SessionSetup {

  private SessionSetup() {}

  /** The header of a new recording made with {@code model} (opened from {@code bundleDir} with {@code settings}). */
  public static LogHeader header(String source, Path bundleDir, ModelBundle model, SessionSettings settings,
      Path image, long seed, String prompt, String drive, long keptFrames) throws IOException {
    Manifest m = model.manifest();
    return new LogHeader(source, Instant.now().toString(), bundleDir.toAbsolutePath().normalize().toString(),
        BundleFingerprint.of(bundleDir, m.name()), image.toAbsolutePath().normalize().toString(),
        Hashes.ofFile(image), seed, prompt, model.provider().name(), settings.intraOpThreads(),
        settings.deterministic(), settings.cuda(), true, m.video().width(), m.video().height(), m.video().fps(),
        m.latent().latentsPerChunk(), drive, 0, keptFrames, "");
  }

  /**
   * The settings a replay pins: the logged thread count, deterministic kernels, and {@code cuda} (the logged CUDA
   * options with the command line's flags applied) forced to its {@linkplain CudaOptions#deterministic()
   * deterministic choices}.
   */
  public static SessionSettings settings(LogHeader h, CudaOptions cuda) {
    return new SessionSettings(h.intraOpThreads(), true, cuda).reproducible();
  }

  /** The logged provider (CPU or CUDA). */
  public static ExecutionProvider provider(LogHeader h) {
    try {
      return ExecutionProvider.valueOf(h.provider());
    } catch (IllegalArgumentException e) {
      throw new SessionLogException("the log names provider '" + h.provider() + "'; expected CPU or CUDA");
    }
  }

  /**
   * The bundle folder to use for a log: {@code override} when given, else the logged folder, which must hold the
   * very bundle the log was made with.
   *
   * @throws SessionLogException when the logged bundle is missing or another bundle is there
   */
  public static Path bundleFor(LogHeader h, Path override) throws IOException {
    if (override != null) {
      return override;
    }
    Path logged = Path.of(h.bundlePath());
    if (!Files.isRegularFile(logged.resolve("manifest.json"))) {
      throw new SessionLogException("the log was made with bundle '" + h.bundle().name() + "' at " + logged
          + ", which is not there; pass --bundle DIR to use a bundle from elsewhere");
    }
    String difference = BundleFingerprint.of(logged, h.bundle().name()).difference(h.bundle());
    if (!difference.isEmpty()) {
      throw new SessionLogException("the log was made with another bundle than the one at " + logged + " ("
          + difference + "); pass --bundle DIR to re-render this walk with that bundle anyway");
    }
    return logged;
  }

  /** The start image for a log: {@code override} when given, else the logged file, whose hash must match. */
  public static Path imageFor(LogHeader h, Path override) throws IOException {
    if (override != null) {
      return override;
    }
    Path logged = Path.of(h.imagePath());
    if (!Files.isRegularFile(logged)) {
      throw new SessionLogException("the log's start image " + logged + " is not there; pass --image FILE");
    }
    if (!Hashes.ofFile(logged).equals(h.imageSha256())) {
      throw new SessionLogException("the start image " + logged + " has changed since the recording; pass --image "
          + "FILE with the original image");
    }
    return logged;
  }

  public static ActionLimits limits(Manifest manifest) {
    ActionSpec a = manifest.actions();
    return new ActionLimits(a.translationStep(), a.rotationStepDegrees(), a.maxTranslationStep(),
        a.maxRotationStepDegrees(), a.labelTranslationThreshold(), a.labelRotationThresholdDegrees());
  }

  /**
   * The path with latent 0 at the identity (pose files may start anywhere): every pose is taken relative to the
   * first. Labels are relative already and stay. Returns {@code path} when latent 0 is the identity.
   */
  public static Trajectory anchored(Trajectory path) {
    Matrix4dc first = path.cameraToWorld().get(0);
    if (first.equals(new Matrix4d(), 1e-12)) {
      return path;
    }
    Matrix4d inverse = first.invert(new Matrix4d());
    List<Matrix4dc> poses = new ArrayList<>();
    for (Matrix4dc pose : path.cameraToWorld()) {
      poses.add(inverse.mul(pose, new Matrix4d()));
    }
    List<String> warnings = new ArrayList<>(path.warnings());
    warnings.add("poses are taken relative to the first one (latent 0 is the start image's camera)");
    return new Trajectory(poses, path.intrinsics(), path.labels(), warnings);
  }
}
