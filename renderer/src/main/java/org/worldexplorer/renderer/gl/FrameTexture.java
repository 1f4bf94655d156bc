package org.worldexplorer.renderer.gl;

import static org.lwjgl.opengl.GL33C.*;

import java.nio.ByteBuffer;
import org.lwjgl.system.MemoryUtil;

/**
 * Streams RGB8 video frames into one texture and draws it letterboxed into the viewport. Uploads go through two
 * pixel buffer objects used in turn (orphaned, mapped, copied, unmapped), so the driver can copy while the next
 * frame is written; {@code usePixelBuffers=false} uploads directly, which is as fast on software GL. Nothing is
 * allocated per frame. GL thread only; lifecycle: constructor, then {@link #upload} / {@link #draw}, then
 * {@link #close}.
 */
public final class FrameTexture implements AutoCloseable {

  private static final String VERTEX_SHADER = """
      #version 330 core
      uniform vec4 u_rect; // x0, y0, x1, y1 in clip space
      out vec2 v_uv;
      void main() {
        vec2 corner = vec2(gl_VertexID & 1, (gl_VertexID >> 1) & 1);
        v_uv = vec2(corner.x, 1.0 - corner.y); // frame rows are stored top row first
        gl_Position = vec4(mix(u_rect.xy, u_rect.zw, corner), 0.0, 1.0);
      }
      """;
  private static final String FRAGMENT_SHADER = """
      #version 330 core
      uniform sampler2D u_frame;
      in vec2 v_uv;
      out vec4 color;
      void main() { color = vec4(texture(u_frame, v_uv).rgb, 1.0); }
      """;

  private final int width;
  private final int height;
  private final int texture;
  private final int[] pixelBuffers = new int[2];
  private final boolean usePixelBuffers;
  private final ShaderProgram program;
  private final int rectUniform;
  private final int vertexArray;
  private int nextPixelBuffer;
  private boolean closed;

  public FrameTexture(int width, int height, boolean usePixelBuffers) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    this.usePixelBuffers = usePixelBuffers;
    texture = glGenTextures();
    glBindTexture(GL_TEXTURE_2D, texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB8, width, height, 0, GL_RGB, GL_UNSIGNED_BYTE, (ByteBuffer) null);
    if (usePixelBuffers) {
      glGenBuffers(pixelBuffers);
      for (int buffer : pixelBuffers) {
        glBindBuffer(GL_PIXEL_UNPACK_BUFFER, buffer);
        glBufferData(GL_PIXEL_UNPACK_BUFFER, frameBytes(), GL_STREAM_DRAW);
      }
      glBindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);
    }
    program = new ShaderProgram(VERTEX_SHADER, FRAGMENT_SHADER);
    rectUniform = program.uniform("u_rect");
    vertexArray = glGenVertexArrays(); // core profile draws need a bound VAO even without attributes
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** Bytes of one tightly packed RGB8 frame. */
  public long frameBytes() {
    return 3L * width * height;
  }

  /** Uploads one RGB8 frame, rows top first, tightly packed; reads {@code frameBytes()} from its position. */
  public void upload(ByteBuffer rgb) {
    checkOpen();
    if (rgb.remaining() < frameBytes()) {
      throw new IllegalArgumentException(
          "frame has " + rgb.remaining() + " bytes, a " + width + "x" + height + " RGB frame needs " + frameBytes());
    }
    glBindTexture(GL_TEXTURE_2D, texture);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    if (usePixelBuffers) {
      glBindBuffer(GL_PIXEL_UNPACK_BUFFER, pixelBuffers[nextPixelBuffer]);
      nextPixelBuffer ^= 1;
      glBufferData(GL_PIXEL_UNPACK_BUFFER, frameBytes(), GL_STREAM_DRAW); // orphan: no wait on the last draw
      ByteBuffer mapped = glMapBufferRange(GL_PIXEL_UNPACK_BUFFER, 0, frameBytes(),
          GL_MAP_WRITE_BIT | GL_MAP_INVALIDATE_BUFFER_BIT);
      if (mapped != null) {
        MemoryUtil.memCopy(MemoryUtil.memAddress(rgb), MemoryUtil.memAddress(mapped), frameBytes());
        glUnmapBuffer(GL_PIXEL_UNPACK_BUFFER);
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, 0L);
      }
      glBindBuffer(GL_PIXEL_UNPACK_BUFFER, 0);
    } else {
      glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, rgb);
    }
  }

  /** Draws the frame as large as fits the viewport with its aspect ratio kept (letterbox or pillarbox). */
  public void draw(int viewportWidth, int viewportHeight) {
    checkOpen();
    if (viewportWidth <= 0 || viewportHeight <= 0) {
      return; // minimised
    }
    glViewport(0, 0, viewportWidth, viewportHeight);
    float frameAspect = (float) width / height;
    float viewAspect = (float) viewportWidth / viewportHeight;
    float sx = frameAspect > viewAspect ? 1f : frameAspect / viewAspect;
    float sy = frameAspect > viewAspect ? viewAspect / frameAspect : 1f;
    program.use();
    glUniform4f(rectUniform, -sx, -sy, sx, sy);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, texture);
    glBindVertexArray(vertexArray);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    glBindVertexArray(0);
    glUseProgram(0);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("frame texture is closed");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    glDeleteVertexArrays(vertexArray);
    program.close();
    if (usePixelBuffers) {
      glDeleteBuffers(pixelBuffers);
    }
    glDeleteTextures(texture);
  }
}
