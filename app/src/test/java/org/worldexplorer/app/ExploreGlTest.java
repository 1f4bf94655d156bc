package org.worldexplorer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs the real explore command on the embedded default under Xvfb and looks at what it drew. */
@Tag("gl")
class ExploreGlTest {

  @TempDir Path shots;

  static void requireDisplay() {
    boolean present = System.getenv("DISPLAY") != null;
    if (!present && System.getenv("WORLDEXPLORER_REQUIRE_ALL_TESTS") != null) {
      fail("no DISPLAY, but WORLDEXPLORER_REQUIRE_ALL_TESTS is set: run under xvfb-run -a");
    }
    assumeTrue(present, "no DISPLAY: GL test skipped (run under xvfb-run -a to include it)");
  }

  @Test
  void exploreShowsGeneratedFramesWithThePanelAndClosesCleanly() throws Exception {
    requireDisplay();
    CommandLine cli = WorldExplorer.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("explore", "--bundle", "../assets/bundles/reference-scene", "--image",
        "../assets/images/meadow.png", "--frames", "40", "--screenshot-at", "30", "--screenshot-dir",
        shots.toString());
    assertEquals(0, code, out + "\n" + err);
    List<Path> files;
    try (Stream<Path> list = Files.list(shots)) {
      files = list.toList();
    }
    assertEquals(1, files.size(), "one screenshot: " + out);
    BufferedImage shot = ImageIO.read(files.get(0).toFile());
    // The panel sits top left (dark); the generated meadow fills the rest: sky blue at the top, green below.
    int sky = shot.getRGB(shot.getWidth() * 3 / 4, 10);
    int grass = shot.getRGB(shot.getWidth() * 3 / 4, shot.getHeight() - 10);
    assertTrue(blue(sky) > red(sky) && blue(sky) > 150, String.format("sky pixel %06x", sky & 0xffffff));
    assertTrue(green(grass) > red(grass) && green(grass) > blue(grass), String.format("grass pixel %06x",
        grass & 0xffffff));
    // The first run leaves the key bindings and settings where a person can edit them.
    Path config = Path.of(System.getenv().getOrDefault("XDG_CONFIG_HOME",
        System.getProperty("user.home") + "/.config"), "worldexplorer");
    assertTrue(Files.readString(config.resolve("keys.properties")).contains("MOVE_FORWARD=W"));
    assertTrue(Files.readString(config.resolve("settings.properties")).contains("mouse_sensitivity="));
    int panel = shot.getRGB(100, 100);
    assertTrue(red(panel) + green(panel) + blue(panel) < 3 * 60, String.format("panel pixel %06x", panel));
  }

  private static int red(int rgb) {
    return (rgb >> 16) & 0xff;
  }

  private static int green(int rgb) {
    return (rgb >> 8) & 0xff;
  }

  private static int blue(int rgb) {
    return rgb & 0xff;
  }
}
