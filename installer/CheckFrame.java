import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Checks that a screenshot shows a drawn frame rather than a blank or black window: most pixels lit and many
 * distinct colours (a generated picture, not a clear colour). Prints what it measured; exits 1 when the check
 * fails. Run as a single-file program: {@code java installer/CheckFrame.java SHOT.png}.
 */
public final class CheckFrame {

  /** Below this sum of red, green and blue a pixel counts as dark. */
  private static final int DARK = 3 * 24;
  private static final double MIN_LIT_FRACTION = 0.5;
  private static final int MIN_COLOURS = 500;

  private CheckFrame() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java installer/CheckFrame.java SHOT.png");
      System.exit(2);
    }
    BufferedImage shot = ImageIO.read(new File(args[0]));
    if (shot == null) {
      System.err.println(args[0] + ": not an image ImageIO can read");
      System.exit(1);
    }
    int width = shot.getWidth();
    int height = shot.getHeight();
    long lit = 0;
    long sumRed = 0;
    long sumGreen = 0;
    long sumBlue = 0;
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = shot.getRGB(x, y) & 0xffffff;
        int red = rgb >> 16;
        int green = (rgb >> 8) & 0xff;
        int blue = rgb & 0xff;
        sumRed += red;
        sumGreen += green;
        sumBlue += blue;
        if (red + green + blue > DARK) {
          lit++;
        }
        colours.add(rgb);
      }
    }
    long pixels = (long) width * height;
    double litFraction = (double) lit / pixels;
    System.out.printf("%s: %dx%d, %.1f%% lit, %d colours, mean rgb (%d, %d, %d)%n", args[0], width, height,
        100 * litFraction, colours.size(), sumRed / pixels, sumGreen / pixels, sumBlue / pixels);
    if (litFraction < MIN_LIT_FRACTION || colours.size() < MIN_COLOURS) {
      System.err.printf("no frame: need at least %.0f%% lit pixels and %d colours%n", 100 * MIN_LIT_FRACTION,
          MIN_COLOURS);
      System.exit(1);
    }
  }
}
