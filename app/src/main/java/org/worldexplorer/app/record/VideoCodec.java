package org.worldexplorer.app.record;

import java.util.Locale;

/**
 * The encoders the shipped FFmpeg build offers, all free of GPL code: H.264 through Cisco's openh264 (plays
 * everywhere) and MPEG-4 Part 2 (faster, larger files). x264 would need FFmpeg's GPL build, which this app does
 * not ship.
 */
public enum VideoCodec {
  /** H.264 Constrained Baseline by libopenh264 (BSD-licensed). The default. */
  H264("libopenh264", "h264"),
  /** MPEG-4 Part 2 Simple profile by FFmpeg's own encoder. */
  MPEG4("mpeg4", "mpeg4");

  private final String encoderName;
  private final String probeName;

  VideoCodec(String encoderName, String probeName) {
    this.encoderName = encoderName;
    this.probeName = probeName;
  }

  /** FFmpeg's name for the encoder. */
  public String encoderName() {
    return encoderName;
  }

  /** The codec name that ffprobe reports for the stream. */
  public String probeName() {
    return probeName;
  }

  /** Parses {@code h264} or {@code mpeg4}, naming the valid values otherwise. */
  public static VideoCodec parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("video codec must be h264 or mpeg4, not '" + text + "'");
    }
  }
}
