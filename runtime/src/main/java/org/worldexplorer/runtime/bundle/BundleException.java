package org.worldexplorer.runtime.bundle;

/**
 * A bundle could not be loaded: a missing or corrupt file, a manifest that breaks the bundle format, graphs that
 * disagree with their manifest, or an execution provider that cannot start. The message names the file, the
 * graph, the tensor and both values where they apply, and says what to do.
 */
public class BundleException extends Exception {

  private static final long serialVersionUID = 1L;

  public BundleException(String message) {
    super(message);
  }

  public BundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
