package org.worldexplorer.runtime.camera;

/** A pose string that does not follow the grammar; says where, which token, and what would be valid. */
public final class PoseStringException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final int column;
  private final String token;

  PoseStringException(int column, String token, String problem) {
    super("pose string, column " + column + ", token \"" + token + "\": " + problem
        + "; expected comma-separated action-N, e.g. \"w-3, right-1, d-4\", with action one of "
        + PoseStringParser.ACTIONS);
    this.column = column;
    this.token = token;
  }

  /** 1-based column where the bad token starts. */
  public int column() {
    return column;
  }

  /** The bad token, trimmed. */
  public String token() {
    return token;
  }
}
