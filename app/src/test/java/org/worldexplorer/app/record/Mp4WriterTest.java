package org.worldexplorer.app.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4WriterTest {

  @TempDir Path dir;

  /** A moving gradient, so the encoder has real work and frames differ. */
  static void paint(ByteBuffer rgb, int width, int height, int frame) {
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = 3 * (y * width + x);
        rgb.put(i, (byte) (x + 3 * frame));
        rgb.put(i + 1, (byte) (y * 2 + frame));
        rgb.put(i + 2, (byte) ((x ^ y) + frame));
      }
    }
  }

  private Path write(VideoCodec codec, int chunks) throws IOException {
    Path file = dir.resolve(codec + ".mp4");
    try (Mp4Writer writer = Mp4Writer.open(file, 320, 192, 24, codec)) {
      int frame = 0;
      for (int c = 0; c < chunks; c++) {
        for (int f = 0; f < (c == 0 ? 13 : 16); f++) {
          paint(writer.rgbInput(), 320, 192, frame++);
          writer.writeFrame();
        }
        writer.endFragment();
      }
      assertEquals(13 + 16 * (chunks - 1), writer.frames());
    }
    return file;
  }

  @Test
  void h264FileHasTheCodecRateSizeAndEveryFrame() throws Exception {
    FfProbe.requireInstalled();
    FfProbe.Stream s = FfProbe.probe(write(VideoCodec.H264, 4));
    assertEquals(new FfProbe.Stream("h264", 320, 192, "24/1", 13 + 3 * 16), s);
  }

  @Test
  void mpeg4FileHasTheCodecRateSizeAndEveryFrame() throws Exception {
    FfProbe.requireInstalled();
    FfProbe.Stream s = FfProbe.probe(write(VideoCodec.MPEG4, 2));
    assertEquals(new FfProbe.Stream("mpeg4", 320, 192, "24/1", 29), s);
  }

  @Test
  void aFolderThatCannotExistIsAnIoErrorNamingTheFile() throws Exception {
    Path notAFolder = dir.resolve("plain-file");
    Files.writeString(notAFolder, "x");
    Path file = notAFolder.resolve("out.mp4");
    IOException e = assertThrows(IOException.class, () -> Mp4Writer.open(file, 320, 192, 24, VideoCodec.H264));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void oddSizesAreRefusedWithTheSize() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Mp4Writer.open(dir.resolve("x.mp4"), 321, 192, 24, VideoCodec.H264));
    assertTrue(e.getMessage().contains("321x192"), e.getMessage());
  }

  /** Measures encoding alone (RGB to YUV plus the encoder plus the muxer) at the default video size. */
  @Test
  void encodeSpeedAtTheDefaultSize() throws Exception {
    for (VideoCodec codec : VideoCodec.values()) {
      Path file = dir.resolve("speed-" + codec + ".mp4");
      int frames = 240;
      byte[][] distinct = new byte[16][3 * 320 * 192];
      ByteBuffer scratch = ByteBuffer.allocate(3 * 320 * 192);
      for (int i = 0; i < distinct.length; i++) {
        paint(scratch, 320, 192, 7 * i);
        scratch.get(0, distinct[i]);
      }
      try (Mp4Writer writer = Mp4Writer.open(file, 320, 192, 24, codec)) {
        long start = System.nanoTime();
        for (int f = 0; f < frames; f++) {
          writer.rgbInput().put(0, distinct[f % distinct.length]);
          writer.writeFrame();
          if (f % 16 == 15) {
            writer.endFragment();
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("encode %s 320x192: %.0f FPS%n", codec, frames / seconds);
        assertTrue(frames / seconds > 24, codec + " must encode faster than real time at 320x192");
      }
    }
  }
}
