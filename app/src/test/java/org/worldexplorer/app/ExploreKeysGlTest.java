package org.worldexplorer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.worldexplorer.runtime.session.StartImage;
import picocli.CommandLine;

/**
 * End to end: starts explore on the embedded default, holds W with real X key events (xdotool through XTEST),
 * and reads the window back: the first frame is the start image, and walking forward zooms into it.
 */
@Tag("gl")
class ExploreKeysGlTest {

  private static final Path MEADOW = Path.of("..", "assets", "images", "meadow.png");

  @TempDir Path shots;

  @Test
  void holdingWWalksForwardAndTheFirstFrameIsTheStartImage() throws Exception {
    ExploreGlTest.requireDisplay();
    requireXdotool();
    StringWriter out = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread explorer = startExplore(out, exit, "--hide-panel", "--frames", "280", "--screenshot-at", "0,270");
    waitForScreenshots(1, explorer);
    run("xdotool", "search", "--sync", "--name", "worldexplorer: reference-scene", "windowfocus", "--sync");
    run("xdotool", "keydown", "w");
    Thread.sleep(2500);
    run("xdotool", "keyup", "w");
    explorer.join(TimeUnit.SECONDS.toMillis(90));
    assertEquals(0, exit.get(), out.toString());
    List<Path> files = screenshots();
    assertEquals(2, files.size(), out.toString());
    BufferedImage first = ImageIO.read(files.get(0).toFile());
    BufferedImage walked = ImageIO.read(files.get(1).toFile());
    System.out.println("explore under Xvfb: " + out.toString().lines().filter(l -> l.startsWith("Shown"))
        .findFirst().orElse("(no summary)"));

    double psnr = psnrAgainstStartImage(first);
    System.out.printf("first frame vs start image: PSNR %.1f dB%n", psnr);
    assertTrue(psnr > 25, "the first frame should be the start image, PSNR " + psnr);

    double bestZoom = 1.0;
    double bestError = Double.MAX_VALUE;
    for (double zoom = 1.0; zoom <= 1.6001; zoom += 0.05) {
      double error = centreError(zoomIn(first, zoom), walked);
      if (error < bestError) {
        bestError = error;
        bestZoom = zoom;
      }
    }
    System.out.printf("after holding W the view matches the first frame zoomed %.2fx%n", bestZoom);
    assertTrue(bestZoom >= 1.05, "walking forward should zoom into the view, best zoom " + bestZoom);
  }

  @Test
  void anEventTypedInThePanelDarkensTheWorldAndTypingNeverWalks() throws Exception {
    ExploreGlTest.requireDisplay();
    requireXdotool();
    StringWriter out = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread explorer = startExplore(out, exit, "--frames", "170", "--screenshot-at", "0,160");
    waitForScreenshots(1, explorer);
    // Click into the panel's event box (top left), type an event full of movement letters, press Enter.
    run("xdotool", "search", "--sync", "--name", "worldexplorer: reference-scene", "windowfocus", "--sync",
        "mousemove", "--window", "%1", "100", "112", "click", "1");
    run("xdotool", "type", "--delay", "30", "a dark snowy night with wind");
    run("xdotool", "key", "Return");
    explorer.join(TimeUnit.SECONDS.toMillis(90));
    assertEquals(0, exit.get(), out.toString());
    String log = out.toString();
    System.out.println("explore under Xvfb, event typed:\n" + log);
    assertTrue(log.contains("Event 'a dark snowy night with wind': chunk "), log);
    assertTrue(log.contains("camera at x 0.000 z 0.000"), "typing in the panel must not move the camera: " + log);
    List<Path> files = screenshots();
    assertEquals(2, files.size(), log);
    double before = meanBrightness(ImageIO.read(files.get(0).toFile()));
    double after = meanBrightness(ImageIO.read(files.get(1).toFile()));
    System.out.printf("scene brightness before %.1f, after the night event %.1f%n", before, after);
    assertTrue(after < 0.7 * before, "night should darken the scene: " + before + " -> " + after);
  }

  @Test
  void aResizedWindowKeepsTheFrameLetterboxed() throws Exception {
    ExploreGlTest.requireDisplay();
    requireXdotool();
    StringWriter out = new StringWriter();
    AtomicInteger exit = new AtomicInteger(-1);
    Thread explorer = startExplore(out, exit, "--hide-panel", "--frames", "100", "--screenshot-at", "0,90");
    waitForScreenshots(1, explorer);
    run("xdotool", "search", "--sync", "--name", "worldexplorer: reference-scene", "windowsize", "480", "400");
    explorer.join(TimeUnit.SECONDS.toMillis(90));
    assertEquals(0, exit.get(), out.toString());
    List<Path> files = screenshots();
    assertEquals(2, files.size(), out.toString());
    BufferedImage resized = ImageIO.read(files.get(1).toFile());
    assertEquals(480, resized.getWidth());
    assertEquals(400, resized.getHeight());
    // A 5:3 frame in a 480x400 window is 480x288 with 56-pixel bars above and below.
    assertEquals(0, resized.getRGB(240, 20) & 0xffffff, "top bar");
    assertEquals(0, resized.getRGB(240, 390) & 0xffffff, "bottom bar");
    assertTrue((resized.getRGB(240, 200) & 0xffffff) != 0, "the frame fills the middle");
  }

  /** Mean luminance of the right half, away from the panel. */
  private static double meanBrightness(BufferedImage image) {
    double sum = 0;
    int n = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = image.getWidth() / 2; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y);
        sum += ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
        n += 3;
      }
    }
    return sum / n;
  }

  /** Runs explore on the embedded default in a thread, with its output in {@code out}, screenshots in the temp folder. */
  private Thread startExplore(StringWriter out, AtomicInteger exit, String... options) {
    List<String> args = new java.util.ArrayList<>(List.of("explore", "--bundle", "../assets/bundles/reference-scene",
        "--image", MEADOW.toString(), "--screenshot-dir", shots.toString()));
    args.addAll(List.of(options));
    Thread explorer = new Thread(() -> {
      CommandLine cli = WorldExplorer.newCommandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(out, true));
      exit.set(cli.execute(args.toArray(String[]::new)));
    }, "explore-under-test");
    explorer.start();
    return explorer;
  }

  private void waitForScreenshots(int count, Thread explorer) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (screenshots().size() < count) {
      if (!explorer.isAlive() || System.nanoTime() > deadline) {
        fail("explore did not save a screenshot in time");
      }
      Thread.sleep(50);
    }
  }

  private List<Path> screenshots() throws Exception {
    try (Stream<Path> list = Files.list(shots)) {
      return list.sorted().toList();
    }
  }

  private static void requireXdotool() throws Exception {
    boolean present = Files.isExecutable(Path.of("/usr/bin/xdotool"));
    if (!present) {
      if (System.getenv("WORLDEXPLORER_REQUIRE_ALL_TESTS") != null) {
        fail("xdotool is missing but WORLDEXPLORER_REQUIRE_ALL_TESTS is set: apt-get install xdotool");
      }
      org.junit.jupiter.api.Assumptions.assumeTrue(false, "xdotool missing: key test skipped");
    }
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail(String.join(" ", command) + " failed: " + output);
    }
  }

  /** The screenshot is the frame scaled up 3x; average it back down and compare with the prepared image. */
  private static double psnrAgainstStartImage(BufferedImage shot) throws Exception {
    int w = 320;
    int h = 192;
    int scale = shot.getWidth() / w;
    assertEquals(h * scale, shot.getHeight(), "the window is a whole multiple of the frame");
    FloatBuffer start = FloatBuffer.allocate(3 * w * h);
    StartImage.prepare(StartImage.read(MEADOW), w, h, start);
    double mse = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double[] sum = new double[3];
        for (int dy = 0; dy < scale; dy++) {
          for (int dx = 0; dx < scale; dx++) {
            int rgb = shot.getRGB(x * scale + dx, y * scale + dy);
            sum[0] += (rgb >> 16) & 0xff;
            sum[1] += (rgb >> 8) & 0xff;
            sum[2] += rgb & 0xff;
          }
        }
        for (int c = 0; c < 3; c++) {
          double expected = (start.get(c * w * h + y * w + x) + 1) * 127.5;
          double d = sum[c] / (scale * scale) - expected;
          mse += d * d;
        }
      }
    }
    mse /= 3.0 * w * h;
    return 10 * Math.log10(255.0 * 255.0 / mse);
  }

  private static BufferedImage zoomIn(BufferedImage image, double zoom) {
    int w = image.getWidth();
    int h = image.getHeight();
    int cw = (int) Math.round(w / zoom);
    int ch = (int) Math.round(h / zoom);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, w, h, (w - cw) / 2, (h - ch) / 2, (w - cw) / 2 + cw, (h - ch) / 2 + ch, null);
    g.dispose();
    return out;
  }

  /** Mean squared difference over the central half of the picture. */
  private static double centreError(BufferedImage a, BufferedImage b) {
    double sum = 0;
    int n = 0;
    for (int y = a.getHeight() / 4; y < a.getHeight() * 3 / 4; y += 2) {
      for (int x = a.getWidth() / 4; x < a.getWidth() * 3 / 4; x += 2) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
          double d = ((p >> shift) & 0xff) - ((q >> shift) & 0xff);
          sum += d * d;
        }
        n++;
      }
    }
    return sum / n;
  }
}
