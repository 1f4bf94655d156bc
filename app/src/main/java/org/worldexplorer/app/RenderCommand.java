package org.worldexplorer.app;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.worldexplorer.app.record.ChunkEntry;
import org.worldexplorer.app.record.LogHeader;
import org.worldexplorer.app.record.OfflineRender;
import org.worldexplorer.app.record.ProgressBar;
import org.worldexplorer.app.record.PromptEvent;
import org.worldexplorer.app.record.PromptEventsFile;
import org.worldexplorer.app.record.RecordingFiles;
import org.worldexplorer.app.record.SessionScript;
import org.worldexplorer.app.record.SessionSetup;
import org.worldexplorer.app.record.VideoCodec;
import org.worldexplorer.runtime.action.DiscreteLabeler;
import org.worldexplorer.runtime.bundle.BundleException;
import org.worldexplorer.runtime.bundle.ExecutionProvider;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.SessionSettings;
import org.worldexplorer.runtime.camera.PoseJson;
import org.worldexplorer.runtime.camera.PoseStringParser;
import org.worldexplorer.runtime.camera.Trajectory;
import org.worldexplorer.runtime.session.StartImage;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Renders a camera path from a start image to an MP4, its session log and subtitles, with no window. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = "Render a camera path (pose string or pose JSON) from a start image to an MP4, headless.")
final class RenderCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--image", required = true, paramLabel = "PNG|JPG", description = "Start image.")
  Path image;

  static final class PathSource {
    @Option(names = "--path", paramLabel = "POSES", description = "Pose string, e.g. \"w-3, right-1, d-4\".")
    String poseString;

    @Option(names = "--path-file", paramLabel = "POSES.json", description = "Pose JSON (upstream's format).")
    Path poseFile;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  PathSource path;

  @Option(names = "--bundle", paramLabel = "DIR", description = "Model bundle (default: the embedded reference-scene).")
  Path bundle;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Noise seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "", description = "Prompt from chunk 0 on.")
  String prompt;

  @Option(names = "--events", paramLabel = "EVENTS.json",
      description = "Prompt events: a JSON list of {\"chunk\": N, \"prompt\": \"...\"} (docs/events.md).")
  Path events;

  @Option(names = "--out", required = true, paramLabel = "OUT.mp4",
      description = "The video; the session log (.ndjson) and subtitles (.srt) go beside it.")
  Path out;

  @Option(names = "--codec", paramLabel = "h264|mpeg4", defaultValue = "h264",
      description = "Video codec (default: ${DEFAULT-VALUE}, by openh264).")
  String codec;

  @Option(names = "--device", paramLabel = "auto|cuda|cpu", defaultValue = "cpu",
      description = "Where the model runs (default: ${DEFAULT-VALUE}, which replays bit for bit).")
  ExecutionProvider device;

  @Mixin CudaOptionsMixin cuda;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
      description = "ONNX Runtime intra-op threads; 0: one per core (logged, so a replay uses the same).")
  int threads;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter outWriter = spec.commandLine().getOut();
    VideoCodec videoCodec;
    ExecutionProvider provider;
    try {
      videoCodec = VideoCodec.parse(codec);
      provider = device;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    BufferedImage startImage;
    List<PromptEvent> prompts;
    try {
      startImage = StartImage.read(image);
      prompts = events == null ? List.of() : PromptEventsFile.read(events);
    } catch (IOException e) {
      err.println("Cannot render: " + e.getMessage());
      return 1;
    }
    Path bundleDir = bundle != null ? bundle : AppPaths.defaultBundle();
    int intraOp = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    SessionSettings settings = SessionSettings.defaults().withIntraOpThreads(intraOp).withCuda(cuda.options());
    try (ModelBundle model = ModelBundle.open(bundleDir, provider, settings)) {
      if (model.provider() == ExecutionProvider.CUDA) {
        CudaOptionsMixin.replayNote(settings.cuda()).ifPresent(note -> err.println("Note: these frames are " + note));
      }
      int perChunk = model.manifest().latent().latentsPerChunk();
      Trajectory walk;
      try {
        walk = path.poseString != null ? PoseStringParser.parse(path.poseString, SessionSetup.limits(model.manifest()))
            : SessionSetup.anchored(PoseJson.read(path.poseFile,
                new DiscreteLabeler(SessionSetup.limits(model.manifest()))));
      } catch (IllegalArgumentException | IOException e) {
        err.println("Bad camera path: " + e.getMessage());
        return 2;
      }
      int latents = walk.size();
      Trajectory padded = walk.padToChunks(perChunk);
      long keptFrames = 1 + 4L * (latents - 1);
      for (String warning : padded.warnings()) {
        err.println("Note: " + warning);
      }
      if (padded.size() > latents) {
        err.println("Note: the " + 4 * (padded.size() - latents) + " frames of the padding are left out of the video");
      }
      List<PromptEvent> all = new ArrayList<>(prompts);
      LogHeader header = SessionSetup.header("render", bundleDir, model, settings, image, seed, prompt, "poses",
          keptFrames);
      RecordingFiles files = RecordingFiles.beside(out);
      Path spill = AppPaths.cache().resolve("latents");
      Files.createDirectories(spill);
      List<ChunkEntry> entries = OfflineRender.render(model, startImage,
          SessionScript.of(padded, perChunk, all), header, files, videoCodec, spill, new ProgressBar(err, "chunks"));
      long frames = entries.stream().mapToLong(e -> e.frameSha256().size()).sum();
      outWriter.println("Wrote " + files.video() + " (" + frames + " frames, " + header.width() + "x"
          + header.height() + " at " + header.fps() + " fps, " + videoCodec.probeName() + "), " + files.log()
          .getFileName() + " and " + files.subtitles().getFileName());
      return 0;
    } catch (BundleException e) {
      err.println("Cannot open the model bundle " + bundleDir + ": " + e.getMessage());
      return 1;
    } catch (OfflineRender.RenderFailed e) {
      err.println();
      err.println("Render failed: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("Cannot render: " + e.getMessage());
      return 1;
    }
  }
}
