package org.worldexplorer.renderer.gl;

import static org.lwjgl.glfw.GLFW.*;
import static org.lwjgl.system.MemoryUtil.NULL;

import org.lwjgl.glfw.Callbacks;
import org.lwjgl.glfw.GLFWErrorCallback;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GL33C;
import org.lwjgl.system.MemoryStack;

/**
 * The GLFW window with an OpenGL 3.3 core context. Lifecycle: {@link #open}, then per frame {@link #pollEvents}
 * and {@link #swapBuffers}, then {@link #close}. Main (GL) thread only.
 */
public final class GlWindow implements AutoCloseable {

  private final long handle;
  private final GLFWErrorCallback errorCallback;
  private boolean fullscreen;
  private final int[] windowedBounds = new int[4];
  private boolean closed;

  private GlWindow(long handle, GLFWErrorCallback errorCallback) {
    this.handle = handle;
    this.errorCallback = errorCallback;
  }

  /**
   * Opens a window and makes its context current on the calling thread.
   *
   * @throws IllegalStateException when no display or OpenGL 3.3 is available, with what to do about it
   */
  public static GlWindow open(String title, int width, int height, boolean vsync) {
    GLFWErrorCallback errors = GLFWErrorCallback.createPrint(System.err).set();
    // GLFW 3.5 tries Wayland first; on an X server (Xvfb included) ask for X11 directly.
    if (System.getenv("DISPLAY") != null && glfwPlatformSupported(GLFW_PLATFORM_X11)) {
      glfwInitHint(GLFW_PLATFORM, GLFW_PLATFORM_X11);
    }
    if (!glfwInit()) {
      errors.free();
      throw new IllegalStateException(
          "could not start GLFW: no display found. Run on a desktop session, or under Xvfb (xvfb-run -a ...)");
    }
    glfwDefaultWindowHints();
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, isMac() ? GLFW_TRUE : GLFW_FALSE);
    glfwWindowHint(GLFW_VISIBLE, GLFW_TRUE);
    long window = glfwCreateWindow(width, height, title, NULL, NULL);
    if (window == NULL) {
      glfwTerminate();
      errors.free();
      throw new IllegalStateException(
          "could not create an OpenGL 3.3 core window: update the graphics driver, or install Mesa (libgl1-mesa-dri)");
    }
    glfwMakeContextCurrent(window);
    GL.createCapabilities();
    glfwSwapInterval(vsync ? 1 : 0);
    return new GlWindow(window, errors);
  }

  private static boolean isMac() {
    return System.getProperty("os.name", "").toLowerCase().contains("mac");
  }

  public long handle() {
    return handle;
  }

  public boolean shouldClose() {
    return glfwWindowShouldClose(handle);
  }

  public void requestClose() {
    glfwSetWindowShouldClose(handle, true);
  }

  public void pollEvents() {
    glfwPollEvents();
  }

  public void swapBuffers() {
    glfwSwapBuffers(handle);
  }

  /** Size of the drawable area in pixels, written into {@code out[0]} (width) and {@code out[1]} (height). */
  public void framebufferSize(int[] out) {
    try (MemoryStack stack = MemoryStack.stackPush()) {
      var w = stack.mallocInt(1);
      var h = stack.mallocInt(1);
      glfwGetFramebufferSize(handle, w, h);
      out[0] = w.get(0);
      out[1] = h.get(0);
    }
  }

  public boolean isFocused() {
    return glfwGetWindowAttrib(handle, GLFW_FOCUSED) == GLFW_TRUE;
  }

  public boolean isIconified() {
    return glfwGetWindowAttrib(handle, GLFW_ICONIFIED) == GLFW_TRUE;
  }

  public boolean isFullscreen() {
    return fullscreen;
  }

  /** Switches between a window and fullscreen on the primary monitor, restoring the old window bounds. */
  public void toggleFullscreen() {
    long monitor = glfwGetPrimaryMonitor();
    if (monitor == NULL) {
      return;
    }
    if (!fullscreen) {
      try (MemoryStack stack = MemoryStack.stackPush()) {
        var x = stack.mallocInt(1);
        var y = stack.mallocInt(1);
        var w = stack.mallocInt(1);
        var h = stack.mallocInt(1);
        glfwGetWindowPos(handle, x, y);
        glfwGetWindowSize(handle, w, h);
        windowedBounds[0] = x.get(0);
        windowedBounds[1] = y.get(0);
        windowedBounds[2] = w.get(0);
        windowedBounds[3] = h.get(0);
      }
      var mode = glfwGetVideoMode(monitor);
      glfwSetWindowMonitor(handle, monitor, 0, 0, mode.width(), mode.height(), mode.refreshRate());
    } else {
      glfwSetWindowMonitor(handle, NULL, windowedBounds[0], windowedBounds[1], windowedBounds[2],
          windowedBounds[3], GLFW_DONT_CARE);
    }
    fullscreen = !fullscreen;
  }

  /** Clears the default framebuffer to a colour; used before drawing the frame and the panel. */
  public static void clear(float r, float g, float b) {
    GL33C.glClearColor(r, g, b, 1f);
    GL33C.glClear(GL33C.GL_COLOR_BUFFER_BIT);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    GL.setCapabilities(null);
    Callbacks.glfwFreeCallbacks(handle);
    glfwDestroyWindow(handle);
    glfwTerminate();
    errorCallback.free();
  }
}
