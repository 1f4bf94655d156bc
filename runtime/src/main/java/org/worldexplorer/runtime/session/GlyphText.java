package org.worldexplorer.runtime.session;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bundle format's {@code quoted_glyphs} prompt: the text a person wants written in the world, taken from
 * between straight {@code "…"} or curly {@code “…”} quotes, as the 8B model's byT5 glyph stream reads it
 * (upstream hyvideo/pipelines/worldplay_video_pipeline.py {@code _extract_glyph_texts} and
 * hyvideo/models/text_encoders/byT5/format_prompt.py {@code format_prompt} without colour or font).
 */
final class GlyphText {

  /*
   * Shortest text between a pair of straight quotes, or else between a pair of curly ones, scanning left to right.
   * UNIX_LINES: like Python's re, '.' stops only at '\n', so a quote never pairs across a line break.
   */
  private static final Pattern QUOTED = Pattern.compile("\"(.*?)\"|\u201c(.*?)\u201d", Pattern.UNIX_LINES);

  private GlyphText() {}

  /** Each distinct quoted piece once, in the order it first appears; an empty pair of quotes is a piece too. */
  static List<String> pieces(String prompt) {
    LinkedHashSet<String> found = new LinkedHashSet<>();
    Matcher m = QUOTED.matcher(prompt);
    while (m.find()) {
      found.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return new ArrayList<>(found);
  }

  /**
   * What the glyph stream's tokenizer reads: {@code Text "<piece>". } for every piece, joined without a
   * separator; empty when the prompt quotes nothing (the stream is then all zeros).
   */
  static String format(String prompt) {
    StringBuilder out = new StringBuilder();
    for (String piece : pieces(prompt)) {
      out.append("Text \"").append(piece).append("\". ");
    }
    return out.toString();
  }
}
