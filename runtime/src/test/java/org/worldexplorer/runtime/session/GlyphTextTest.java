package org.worldexplorer.runtime.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Quoted glyph text, checked against what upstream's {@code _extract_glyph_texts} regex and
 * {@code format_prompt} give for the same prompts (hyvideo/pipelines/worldplay_video_pipeline.py:604-618,
 * hyvideo/models/text_encoders/byT5/format_prompt.py:56-88; values from running that regex in Python 3).
 */
class GlyphTextTest {

  @Test
  void oneStraightQuotedPieceIsWrittenAsOneTextSentenceWithItsTrailingSpace() {
    assertEquals(List.of("OPEN"), GlyphText.pieces("a sign that says \"OPEN\""));
    assertEquals("Text \"OPEN\". ", GlyphText.format("a sign that says \"OPEN\""));
  }

  @Test
  void straightAndCurlyPiecesKeepTheirFirstOrderAndRepeatsAreDropped() {
    String prompt = "\"A\" and \u201cB\u201d and \"A\"";
    assertEquals(List.of("A", "B"), GlyphText.pieces(prompt));
    assertEquals("Text \"A\". Text \"B\". ", GlyphText.format(prompt));
    assertEquals("Text \"open\". Text \"OPEN\". ",
        GlyphText.format("\u201copen\u201d \"open\" \u201cOPEN\u201d"), "repeats are exact, case counts");
  }

  @Test
  void withoutQuotesOrWithAnUnclosedQuoteThereIsNoGlyphText() {
    assertEquals(List.of(), GlyphText.pieces("a storm rolls in"));
    assertEquals("", GlyphText.format("a storm rolls in"));
    assertEquals("", GlyphText.format("say \"hi"));
    assertEquals("", GlyphText.format(""));
  }

  @Test
  void emptyQuotesAreAPieceAsUpstream() {
    assertEquals(List.of(""), GlyphText.pieces("say \"\" and \"\""));
    assertEquals("Text \"\". ", GlyphText.format("say \"\""));
  }

  @Test
  void aStraightQuoteOpensFirstSoCurlyQuotesInsideBelongToThePiece() {
    assertEquals(List.of("a \u201cb\u201d c"), GlyphText.pieces("\"a \u201cb\u201d c\""));
    assertEquals(List.of("inner"), GlyphText.pieces("\u201cunclosed \"inner\" end"));
  }

  @Test
  void onlyALineFeedStopsAPieceAsPythonsDotDoes() {
    // The first pair cannot span the line feed, so the closing quote of "one..two" opens a new pair.
    assertEquals(List.of(" "), GlyphText.pieces("\"one\ntwo\" \"three\""));
    assertEquals(List.of("a\rb"), GlyphText.pieces("\"a\rb\""));
    assertEquals(List.of("x\u2028y"), GlyphText.pieces("\u201cx\u2028y\u201d"));
  }
}
