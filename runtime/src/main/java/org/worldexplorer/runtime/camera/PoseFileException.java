package org.worldexplorer.runtime.camera;

import java.io.IOException;

/** A pose JSON file that cannot be used; the message names the file, the entry and what is wrong. */
public final class PoseFileException extends IOException {

  private static final long serialVersionUID = 1L;

  PoseFileException(String message) {
    super(message);
  }

  PoseFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
