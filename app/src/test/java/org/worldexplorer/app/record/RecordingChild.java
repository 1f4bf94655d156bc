package org.worldexplorer.app.record;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.session.ChunkResult;

/**
 * A child process for the kill test: records synthetic chunks through {@link Recorder} forever and prints
 * "written N" once N whole chunks are on the disk. The test kills it with SIGKILL.
 */
public final class RecordingChild {

  public static void main(String[] args) throws Exception {
    Path video = Path.of(args[0]);
    LogHeader header = new LogHeader("explore", "2026-01-01T00:00:00Z", "/b",
        new BundleFingerprint("synthetic", "0", List.of()), "/i.png", "0", 1, "", "CPU", 1, true,
        org.worldexplorer.runtime.bundle.CudaOptions.defaults(), true, 320, 192, 24, 4, "actions", 0, -1,
        video.getFileName().toString());
    Recorder recorder = Recorder.start(RecordingFiles.beside(video), header, List.of(), List.of(), "",
        VideoCodec.H264, 32, true);
    FloatBuffer frames = FloatBuffer.allocate(3 * 16 * 192 * 320);
    FloatBuffer latents = FloatBuffer.allocate(16);
    List<DualAction> actions = List.of(DualAction.STILL, DualAction.STILL, DualAction.STILL, DualAction.STILL);
    List<double[]> poses = List.of(new double[16], new double[16], new double[16], new double[16]);
    for (int chunk = 0; ; chunk++) {
      int count = chunk == 0 ? 13 : 16;
      for (int i = 0; i < frames.capacity(); i++) {
        frames.put(i, (float) Math.sin(0.001 * i + chunk));
      }
      recorder.chunk(new ChunkResult(chunk, 4 * chunk, latents, frames, count, new int[0], new boolean[0], 0, null),
          count, new ChunkEntry(chunk, actions, poses, "0", List.of()));
      long expected = 13 + 16L * chunk;
      while (recorder.framesWritten() < expected) {
        Thread.sleep(5);
      }
      Thread.sleep(50); // the fragment is flushed right after the chunk's last frame
      System.out.println("written " + (chunk + 1));
      System.out.flush();
    }
  }
}
