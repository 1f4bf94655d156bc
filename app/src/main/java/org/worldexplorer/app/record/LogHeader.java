package org.worldexplorer.app.record;

import org.worldexplorer.runtime.bundle.CudaOptions;

/**
 * The first line of a session log: everything besides the per-chunk inputs that decides the frames, plus what the
 * recording holds.
 *
 * @param source the command that wrote it: explore, render or replay
 * @param created when the recording started, ISO-8601 UTC
 * @param bundlePath the bundle folder as it was given
 * @param bundle the bundle's fingerprint
 * @param imagePath the start image as it was given
 * @param imageSha256 hash of the start image file
 * @param seed noise seed
 * @param prompt the prompt of chunk 0 (later changes are prompt events)
 * @param provider the execution provider that ran the graphs (CPU or CUDA)
 * @param intraOpThreads ONNX Runtime's intra-op threads (0: its own choice, one per core)
 * @param deterministic whether deterministic kernels were asked for
 * @param cuda the CUDA execution provider's options (used when {@code provider} is CUDA); logs written before they
 *     were recorded read as ONNX Runtime's defaults, which those runs used
 * @param spatialMemory whether memory retrieval was on
 * @param width video width
 * @param height video height
 * @param fps video frame rate
 * @param latentsPerChunk latents per chunk
 * @param drive {@code actions}: replay moves the camera by each latent's action deltas; {@code poses}: replay puts
 *     the camera at each latent's logged pose
 * @param firstRecordedChunk the first chunk whose frames are in the video (earlier chunks are in the log only)
 * @param keptFrames frames of the whole path that belong in the video, or -1 for all; a padded path drops the rest
 * @param video the video file's name, beside the log
 */
public record LogHeader(String source, String created, String bundlePath, BundleFingerprint bundle,
    String imagePath, String imageSha256, long seed, String prompt, String provider, int intraOpThreads,
    boolean deterministic, CudaOptions cuda, boolean spatialMemory, int width, int height, int fps, int latentsPerChunk,
    String drive, int firstRecordedChunk, long keptFrames, String video) {

  /** Format name on the header line. */
  public static final String FORMAT = "worldexplorer-session-log";
  /** Format version this code writes and reads. */
  public static final int VERSION = 1;

  public LogHeader {
    if (!drive.equals("actions") && !drive.equals("poses")) {
      throw new IllegalArgumentException("drive must be 'actions' or 'poses', got '" + drive + "'");
    }
    if (cuda == null) {
      throw new IllegalArgumentException("cuda must not be null; use CudaOptions.defaults()");
    }
    if (latentsPerChunk < 1 || firstRecordedChunk < 0) {
      throw new IllegalArgumentException("latentsPerChunk must be at least 1 and firstRecordedChunk at least 0, got "
          + latentsPerChunk + " and " + firstRecordedChunk);
    }
  }

  /** The same header starting the video at another chunk, naming another video file. */
  public LogHeader recordingFrom(int chunk, String videoName, String newSource, String newCreated) {
    return new LogHeader(newSource, newCreated, bundlePath, bundle, imagePath, imageSha256, seed, prompt, provider,
        intraOpThreads, deterministic, cuda, spatialMemory, width, height, fps, latentsPerChunk, drive, chunk,
        keptFrames, videoName);
  }

  /** Frames that chunk {@code chunk} decodes: {@code 1 + 4 (L - 1)} for the first, {@code 4 L} later. */
  public int framesOfChunk(int chunk) {
    return chunk == 0 ? 1 + 4 * (latentsPerChunk - 1) : 4 * latentsPerChunk;
  }
}
