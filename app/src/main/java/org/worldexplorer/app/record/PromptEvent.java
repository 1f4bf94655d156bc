package org.worldexplorer.app.record;

/**
 * A prompt change in a session log: {@code prompt} conditions chunk {@code chunk} and the chunks after it.
 *
 * @param chunk the first chunk made with the new prompt
 * @param prompt the text as typed; empty clears the prompt
 */
public record PromptEvent(int chunk, String prompt) {

  public PromptEvent {
    if (chunk < 0) {
      throw new IllegalArgumentException("a prompt event's chunk must be 0 or more, got " + chunk);
    }
    if (prompt == null) {
      throw new IllegalArgumentException("a prompt event needs a prompt (\"\" clears it)");
    }
  }
}
