import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Draws the worldexplorer desktop icon (a meadow under a sky, with a path walking into it) as a PNG, so the
 * repository holds the recipe rather than a binary. Run as a single-file program:
 * {@code java -Djava.awt.headless=true installer/MakeIcon.java OUT.png [SIZE]}.
 */
public final class MakeIcon {

  private MakeIcon() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: java installer/MakeIcon.java OUT.png [SIZE, default 256]");
      System.exit(2);
    }
    int size = args.length == 2 ? Integer.parseInt(args[1]) : 256;
    if (size < 16 || size > 1024) {
      throw new IllegalArgumentException("SIZE must be between 16 and 1024 pixels, not " + size);
    }
    ImageIO.write(draw(size), "png", new File(args[0]));
  }

  static BufferedImage draw(int size) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    // Everything is laid out on a 256-unit grid and scaled, so every size has the same picture.
    g.scale(size / 256.0, size / 256.0);
    Shape tile = new RoundRectangle2D.Double(8, 8, 240, 240, 56, 56);
    g.setClip(tile);

    g.setPaint(new GradientPaint(0, 8, new Color(0x2f6fd6), 0, 150, new Color(0xa9d8ff)));
    g.fill(tile);
    g.setColor(new Color(0xffe27a));
    g.fill(new Ellipse2D.Double(160, 40, 48, 48));

    g.setPaint(new GradientPaint(0, 120, new Color(0x6fbf4a), 0, 248, new Color(0x2e7d32)));
    g.fill(hill(150, 18, 0.9));
    g.setPaint(new GradientPaint(0, 150, new Color(0x4caf50), 0, 248, new Color(0x1b5e20)));
    g.fill(hill(178, 14, 1.7));

    // A path from the bottom edge to the horizon: where the player walks.
    Path2D path = new Path2D.Double();
    path.moveTo(96, 248);
    path.curveTo(112, 215, 150, 200, 132, 168);
    path.lineTo(138, 168);
    path.curveTo(165, 200, 150, 225, 176, 248);
    path.closePath();
    g.setColor(new Color(0xe8d5a3));
    g.fill(path);

    g.setClip(null);
    g.setStroke(new BasicStroke(6f));
    g.setColor(new Color(0x1a237e));
    g.draw(tile);
    g.dispose();
    return image;
  }

  /** A band of rolling ground from {@code top} down to the bottom edge. */
  private static Shape hill(double top, double amplitude, double waves) {
    Path2D shape = new Path2D.Double();
    shape.moveTo(0, 256);
    for (int x = 0; x <= 256; x += 4) {
      shape.lineTo(x, top + amplitude * Math.sin(x / 256.0 * waves * 2 * Math.PI));
    }
    shape.lineTo(256, 256);
    shape.closePath();
    return shape;
  }
}
