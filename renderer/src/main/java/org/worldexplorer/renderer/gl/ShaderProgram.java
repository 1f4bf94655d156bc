package org.worldexplorer.renderer.gl;

import static org.lwjgl.opengl.GL33C.*;

/** A linked vertex + fragment shader program. Compile and link errors carry the driver's log. GL thread only. */
final class ShaderProgram implements AutoCloseable {

  private final int program;

  ShaderProgram(String vertexSource, String fragmentSource) {
    int vertex = compile(GL_VERTEX_SHADER, vertexSource);
    int fragment = compile(GL_FRAGMENT_SHADER, fragmentSource);
    program = glCreateProgram();
    glAttachShader(program, vertex);
    glAttachShader(program, fragment);
    glLinkProgram(program);
    glDeleteShader(vertex);
    glDeleteShader(fragment);
    if (glGetProgrami(program, GL_LINK_STATUS) != GL_TRUE) {
      String log = glGetProgramInfoLog(program);
      glDeleteProgram(program);
      throw new IllegalStateException("shader program did not link: " + log);
    }
  }

  private static int compile(int type, String source) {
    int shader = glCreateShader(type);
    glShaderSource(shader, source);
    glCompileShader(shader);
    if (glGetShaderi(shader, GL_COMPILE_STATUS) != GL_TRUE) {
      String log = glGetShaderInfoLog(shader);
      glDeleteShader(shader);
      throw new IllegalStateException("shader did not compile: " + log);
    }
    return shader;
  }

  int uniform(String name) {
    int location = glGetUniformLocation(program, name);
    if (location < 0) {
      throw new IllegalStateException("shader has no uniform '" + name + "'");
    }
    return location;
  }

  void use() {
    glUseProgram(program);
  }

  @Override
  public void close() {
    glDeleteProgram(program);
  }
}
