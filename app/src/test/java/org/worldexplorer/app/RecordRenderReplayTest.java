package org.worldexplorer.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.joml.Matrix4dc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.app.record.RecordingController;
import org.worldexplorer.app.record.SessionLog;
import org.worldexplorer.app.record.SessionLogReader;
import org.worldexplorer.app.record.SessionSetup;
import org.worldexplorer.runtime.action.DiscreteLabeler;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.bundle.CudaOptions;
import org.worldexplorer.runtime.bundle.ExecutionProvider;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.SessionSettings;
import org.worldexplorer.runtime.camera.PoseJson;
import org.worldexplorer.runtime.camera.PoseStringParser;
import org.worldexplorer.runtime.camera.Trajectory;
import org.worldexplorer.runtime.session.StartImage;
import org.worldexplorer.runtime.session.WorldSession;
import picocli.CommandLine;

/** render, replay and resume end to end on the embedded reference-scene bundle. */
class RecordRenderReplayTest {

  static final Path HOME = Path.of("..").toAbsolutePath().normalize();
  static final Path MEADOW = HOME.resolve("assets/images/meadow.png");
  static final Path SCENE = HOME.resolve("assets/bundles/reference-scene");

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    System.setProperty("worldexplorer.home", HOME.toString());
    CommandLine cli = WorldExplorer.newCommandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private static Trajectory limitsPath(String poses) throws Exception {
    try (ModelBundle model = ModelBundle.open(SCENE, ExecutionProvider.CPU, SessionSettings.defaults())) {
      return PoseStringParser.parse(poses, SessionSetup.limits(model.manifest()));
    }
  }

  private static void assertLoggedPoses(Trajectory expected, SessionLog log) {
    List<double[]> logged = new ArrayList<>();
    log.chunks().forEach(c -> logged.addAll(c.cameraToWorld()));
    for (int i = 0; i < expected.size(); i++) {
      Matrix4dc m = expected.cameraToWorld().get(i);
      double[] row = new double[16];
      for (int k = 0; k < 16; k++) {
        row[k] = m.get(k % 4, k / 4);
      }
      assertArrayEquals(row, logged.get(i), 1e-6, "pose of latent " + i);
    }
  }

  @Test
  void renderAPoseStringThenReplayItBitForBit() throws Exception {
    Path video = dir.resolve("walk.mp4");
    String path = "w-3, right-1, d-4"; // 9 latents: padded to 12, 33 frames kept
    assertEquals(0, run("render", "--image", MEADOW.toString(), "--path", path, "--out", video.toString(),
        "--threads", "2", "--events", HOME.resolve("assets/events/snow-then-night.json").toString(),
        "--cudnn-search", "heuristic", "--cuda-memory-limit", "2G"), err.toString());
    assertTrue(err.toString().contains("padded with 3 still latents"), err.toString());
    org.worldexplorer.app.record.FfProbeAccess.assertVideo(video, "h264", 320, 192, "24/1", 33);
    SessionLog log = SessionLogReader.read(dir.resolve("walk.ndjson"), false);
    assertEquals(3, log.chunks().size());
    assertEquals(33, log.header().keptFrames());
    CudaOptions renderCuda = new CudaOptions(0, OptionalLong.of(2L << 30), CudaOptions.ConvAlgoSearch.HEURISTIC, true);
    assertEquals(renderCuda, log.header().cuda(), "the CUDA options are logged even when the CPU ran the graphs");
    assertLoggedPoses(limitsPath(path), log);
    assertEquals(List.of(13, 16, 4), log.chunks().stream().map(c -> c.frameSha256().size()).toList());
    assertTrue(Files.readString(dir.resolve("walk.srt")).contains("it starts to snow"));

    assertEquals(0, run("replay", dir.resolve("walk.ndjson").toString(), "--strict"), err.toString());
    assertTrue(out.toString().contains("bit-identical: 3 chunks' latents and 33 frames"), out.toString());
    SessionLog replay = SessionLogReader.read(dir.resolve("walk-replay.ndjson"), false);
    assertEquals(renderCuda.deterministic(), replay.header().cuda(), "replay logs the deterministic options it forced");
    for (int c = 0; c < 3; c++) {
      assertEquals(log.chunks().get(c).frameSha256(), replay.chunks().get(c).frameSha256(), "frames of chunk " + c);
    }

    // A log cut by a kill: a clear error, and no replay file appears.
    Path cut = dir.resolve("cut.ndjson");
    String text = Files.readString(dir.resolve("walk.ndjson"));
    Files.writeString(cut, text.substring(0, text.lastIndexOf("{\"type\":\"chunk\"") + 40));
    assertEquals(2, run("replay", cut.toString()));
    assertTrue(err.toString().contains("cut off") && err.toString().contains("--partial"), err.toString());
    assertFalse(Files.exists(dir.resolve("cut-replay.mp4")));

    // A log made with another bundle (its manifest hash differs): refused without --bundle.
    Path other = dir.resolve("other.ndjson");
    Files.writeString(other, text.replaceFirst("\"manifest_sha256\":\"[0-9a-f]+\"", "\"manifest_sha256\":\"00\""));
    assertEquals(2, run("replay", other.toString()));
    assertTrue(err.toString().contains("another bundle") && err.toString().contains("--bundle"), err.toString());
    assertFalse(Files.exists(dir.resolve("other-replay.mp4")));
  }

  @Test
  void renderAPoseFileKeepsItsFramesAndPoses() throws Exception {
    Path poses = HOME.resolve("assets/poses/forward-then-right.json"); // 10 latents: 37 frames
    Path video = dir.resolve("file.mp4");
    assertEquals(0, run("render", "--image", MEADOW.toString(), "--path-file", poses.toString(), "--out",
        video.toString(), "--threads", "2", "--codec", "mpeg4"), err.toString());
    org.worldexplorer.app.record.FfProbeAccess.assertVideo(video, "mpeg4", 320, 192, "24/1", 37);
    Trajectory input;
    try (ModelBundle model = ModelBundle.open(SCENE, ExecutionProvider.CPU, SessionSettings.defaults())) {
      input = SessionSetup.anchored(PoseJson.read(poses, new DiscreteLabeler(SessionSetup.limits(model.manifest()))));
    }
    SessionLog log = SessionLogReader.read(dir.resolve("file.ndjson"), false);
    assertEquals("poses", log.header().drive());
    assertLoggedPoses(input, log);
  }

  @Test
  void badInputsSayWhatIsWrongAndLeaveNoFiles() throws Exception {
    Path video = dir.resolve("bad.mp4");
    assertEquals(2, run("render", "--image", MEADOW.toString(), "--path", "w-3, jump-2", "--out", video.toString()));
    assertTrue(err.toString().contains("Bad camera path") && err.toString().contains("jump"), err.toString());
    assertEquals(1, run("render", "--image", dir.resolve("none.png").toString(), "--path", "w-3", "--out",
        video.toString()));
    assertTrue(err.toString().contains("start image not found"), err.toString());
    Path file = dir.resolve("a-file");
    Files.writeString(file, "x");
    assertEquals(1, run("render", "--image", MEADOW.toString(), "--path", "w-3", "--out",
        file.resolve("x.mp4").toString(), "--threads", "2"));
    assertTrue(err.toString().contains("is not a folder"), err.toString());
    try (var listing = Files.list(dir)) {
      assertEquals(List.of(file), listing.toList(), "no partial or pretend-complete files");
    }
  }

  @Test
  void aResumedSessionGoesOnWithTheChunkTheOriginalMadeNext() throws Exception {
    DualAction walk = new DualAction(9, 0.08f, 0f, 2f, 0f);
    DualAction[] actions = {walk, walk, walk, walk};
    SessionSettings settings = SessionSettings.defaults().withIntraOpThreads(2);
    float[] originalNext;
    try (ModelBundle model = ModelBundle.open(SCENE, ExecutionProvider.CPU, settings)) {
      var image = StartImage.read(MEADOW);
      RecordingController recording = ExploreRecording.controller(dir, SCENE, model, settings, MEADOW, 3, "",
          org.worldexplorer.app.record.VideoCodec.H264);
      recording.setRecording(true);
      try (WorldSession original = ExploreRecording.sessions(model, image, 3, "", dir, recording, null,
          new PrintWriter(new StringWriter())).create()) {
        for (int c = 0; c < 2; c++) {
          recording.chunkGenerated(original, actions, null, original.generateChunk(actions));
        }
        recording.finish("stopped");
        originalNext = copy(original.generateChunk(actions).latents());
      }
      Path log = recording.lastFiles().log();
      SessionLog logged = SessionLogReader.read(log, false);
      assertEquals(2, logged.chunks().size());
      RecordingController live = ExploreRecording.controller(dir, SCENE, model, settings, MEADOW, 3, "",
          org.worldexplorer.app.record.VideoCodec.H264);
      try (WorldSession resumed = ExploreRecording.sessions(model, image, 3, "", dir, live, logged,
          new PrintWriter(new StringWriter())).create()) {
        assertEquals(2, resumed.chunkIndex());
        assertArrayEquals(originalNext, copy(resumed.generateChunk(actions).latents()),
            "the first live chunk after resuming equals the original's next chunk");
      }
    }
  }

  private static float[] copy(FloatBuffer buffer) {
    float[] values = new float[buffer.remaining()];
    buffer.duplicate().get(values);
    return values;
  }
}
