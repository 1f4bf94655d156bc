package org.worldexplorer.app.record;

/** A session log that cannot be used, with the file, the line and what is wrong. */
public final class SessionLogException extends RuntimeException {

  public SessionLogException(String message) {
    super(message);
  }
}
