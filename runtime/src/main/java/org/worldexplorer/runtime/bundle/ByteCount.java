package org.worldexplorer.runtime.bundle;

import java.util.Locale;

/** Byte counts as people read them: one decimal, binary units (KiB, MiB, GiB). */
public final class ByteCount {

  private ByteCount() {}

  /** E.g. {@code 345.0 KiB}, {@code 41.3 GiB}. */
  public static String format(long bytes) {
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes / 1024.0;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
