package org.worldexplorer.app;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.worldexplorer.app.record.BundleFingerprint;
import org.worldexplorer.app.record.ChunkEntry;
import org.worldexplorer.app.record.LogHeader;
import org.worldexplorer.app.record.OfflineRender;
import org.worldexplorer.app.record.ProgressBar;
import org.worldexplorer.app.record.RecordingFiles;
import org.worldexplorer.app.record.ReplayCheck;
import org.worldexplorer.app.record.SessionLog;
import org.worldexplorer.app.record.SessionLogException;
import org.worldexplorer.app.record.SessionLogReader;
import org.worldexplorer.app.record.SessionScript;
import org.worldexplorer.app.record.SessionSetup;
import org.worldexplorer.app.record.VideoCodec;
import org.worldexplorer.runtime.bundle.BundleException;
import org.worldexplorer.runtime.bundle.CudaOptions;
import org.worldexplorer.runtime.bundle.ExecutionProvider;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.SessionSettings;
import org.worldexplorer.runtime.session.StartImage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Re-runs a logged session and writes its video again, checking it frame by frame against the recording. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Replay a session log: the same bundle, seed, actions and events give the same video again.")
final class ReplayCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SESSION_LOG", description = "The .ndjson log written beside a recording.")
  Path logFile;

  @Option(names = "--out", paramLabel = "OUT.mp4", description = "The video (default: the log's name + -replay.mp4).")
  Path out;

  @Option(names = "--bundle", paramLabel = "DIR",
      description = "Use this bundle instead of the logged one (re-renders the walk with another model).")
  Path bundle;

  @Option(names = "--image", paramLabel = "PNG|JPG", description = "Start image, when the logged one moved.")
  Path image;

  @Option(names = "--partial", description = "Replay the whole chunks of a log that was cut off by a crash.")
  boolean partial;

  @Option(names = "--codec", paramLabel = "h264|mpeg4", defaultValue = "h264",
      description = "Video codec (default: ${DEFAULT-VALUE}).")
  String codec;

  @Option(names = "--strict", description = "Exit with status 3 when the replay differs from the recording.")
  boolean strict;

  /** Device and memory cap override the logged ones; the cuDNN search and TF32 are forced (see cudaLine). */
  @Mixin CudaOptionsMixin cuda;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    Optional<String> conflict = cuda.conflictWithReplay("replay");
    if (conflict.isPresent()) {
      err.println(conflict.get());
      return 2;
    }
    SessionLog log;
    Path bundleDir;
    Path imagePath;
    BufferedImage startImage;
    VideoCodec videoCodec;
    try {
      videoCodec = VideoCodec.parse(codec);
      log = SessionLogReader.read(logFile, partial);
      bundleDir = SessionSetup.bundleFor(log.header(), bundle);
      imagePath = SessionSetup.imageFor(log.header(), image);
      startImage = StartImage.read(imagePath);
    } catch (SessionLogException | IllegalArgumentException e) {
      err.println("Cannot replay: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("Cannot replay: " + e.getMessage());
      return 1;
    }
    LogHeader recorded = log.header();
    SessionSettings settings = SessionSetup.settings(recorded, cuda.over(recorded.cuda()));
    try (ModelBundle model = ModelBundle.open(bundleDir, SessionSetup.provider(recorded), settings)) {
      if (model.provider() == ExecutionProvider.CUDA) {
        stdout.println(cudaLine(settings.cuda(), recorded.cuda()));
      }
      boolean sameBundle = bundle == null
          || BundleFingerprint.of(bundleDir, model.manifest().name()).difference(recorded.bundle()).isEmpty();
      if (!sameBundle) {
        err.println("Note: re-rendering with bundle '" + model.manifest().name() + "', not the recorded '"
            + recorded.bundle().name() + "'; the frames will differ from the recording");
      }
      LogHeader header = SessionSetup.header("replay", bundleDir, model, settings, imagePath, recorded.seed(),
          recorded.prompt(), recorded.drive(), recorded.keptFrames())
          .recordingFrom(recorded.firstRecordedChunk(), "", "replay", java.time.Instant.now().toString());
      Path target = out != null ? out : defaultOut(logFile);
      RecordingFiles files = RecordingFiles.beside(target);
      Path spill = AppPaths.cache().resolve("latents");
      Files.createDirectories(spill);
      List<ChunkEntry> replayed = OfflineRender.render(model, startImage, SessionScript.of(log), header, files,
          videoCodec, spill, new ProgressBar(err, "chunks"));
      stdout.println("Wrote " + files.video() + " and " + files.log().getFileName());
      if (!sameBundle) {
        return 0;
      }
      ReplayCheck check = ReplayCheck.compare(log.chunks(), replayed);
      stdout.println("Replay " + check + " (" + model.provider() + ", " + settings.intraOpThreads()
          + " intra-op threads)");
      return check.identical() || !strict ? 0 : 3;
    } catch (BundleException e) {
      err.println("Cannot open the model bundle " + bundleDir + ": " + e.getMessage());
      return 1;
    } catch (OfflineRender.RenderFailed e) {
      err.println();
      err.println("Replay failed: " + e.getMessage());
      return 1;
    } catch (SessionLogException e) {
      err.println("Cannot replay: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("Cannot replay: " + e.getMessage());
      return 1;
    }
  }

  /**
   * What replay says on CUDA: the options it forces, and when the recording used others, that its frames can
   * differ from the recording's.
   */
  static String cudaLine(CudaOptions used, CudaOptions recorded) {
    return "Replaying on CUDA with " + used.providerOptionsLine() + " (replay forces cudnn_conv_algo_search=DEFAULT"
        + " and use_tf32=0 so that the frames repeat)" + CudaOptionsMixin.replayNote(recorded)
            .map(note -> "; the recording was " + note).orElse("");
  }

  static Path defaultOut(Path log) {
    String name = log.toAbsolutePath().getFileName().toString();
    String base = name.endsWith(".ndjson") ? name.substring(0, name.length() - 7) : name;
    return log.toAbsolutePath().resolveSibling(base + "-replay.mp4");
  }
}
