package org.worldexplorer.app.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The three files of one recording, side by side with one base name: the video ({@code .mp4}), the session log
 * ({@code .ndjson}) and the subtitles with the prompt events ({@code .srt}).
 *
 * @param video the MP4
 * @param log the session log
 * @param subtitles the SubRip sidecar
 */
public record RecordingFiles(Path video, Path log, Path subtitles) {

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss");

  /** The files beside {@code video}: same folder, same base name. */
  public static RecordingFiles beside(Path video) {
    Path absolute = video.toAbsolutePath();
    String name = absolute.getFileName().toString();
    String base = name.toLowerCase(java.util.Locale.ROOT).endsWith(".mp4") ? name.substring(0, name.length() - 4)
        : name;
    Path folder = absolute.getParent();
    return new RecordingFiles(folder.resolve(base + ".mp4"), folder.resolve(base + ".ndjson"),
        folder.resolve(base + ".srt"));
  }

  /** New files in {@code folder} named by the time, so names sort by time; never an existing name. */
  public static RecordingFiles timestamped(Path folder, LocalDateTime now) {
    String base = "worldexplorer-" + STAMP.format(now);
    RecordingFiles files = beside(folder.resolve(base + ".mp4"));
    for (int n = 2; Files.exists(files.video()) || Files.exists(files.log()); n++) {
      files = beside(folder.resolve(base + "-" + n + ".mp4"));
    }
    return files;
  }

  /** Working names that say the files are unfinished; {@link #moveTo} gives them their final names. */
  public RecordingFiles partial() {
    return new RecordingFiles(partialName(video), partialName(log), partialName(subtitles));
  }

  private static Path partialName(Path file) {
    return file.resolveSibling(file.getFileName() + ".partial");
  }

  /** Renames these files to {@code target}'s names, replacing what is there. */
  public void moveTo(RecordingFiles target) throws IOException {
    Files.move(video, target.video, StandardCopyOption.REPLACE_EXISTING);
    Files.move(log, target.log, StandardCopyOption.REPLACE_EXISTING);
    Files.move(subtitles, target.subtitles, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Deletes whatever of these files exists. */
  public void deleteQuietly() {
    for (Path p : new Path[] {video, log, subtitles}) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // best effort: the caller is already reporting the error that made these files useless
      }
    }
  }
}
