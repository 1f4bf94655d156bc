package org.worldexplorer.runtime.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks {@code nvidia-smi --query-gpu=memory.total,memory.free --format=csv,noheader,nounits -i <device>}, which
 * prints one line {@code <total MiB>, <free MiB>}. A missing tool, a failing run or an odd answer gives an unknown
 * reading that says which. nvidia-smi numbers GPUs as the driver does; CUDA_VISIBLE_DEVICES does not renumber them.
 */
final class NvidiaSmiProbe implements GpuMemoryProbe {

  private static final long TIMEOUT_SECONDS = 10;
  private static final long MIB = 1L << 20;

  @Override
  public Reading read(int device) {
    List<String> command = List.of("nvidia-smi", "--query-gpu=memory.total,memory.free",
        "--format=csv,noheader,nounits", "-i", Integer.toString(device));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return Reading.unknown("nvidia-smi could not be run (" + e.getMessage() + "); it comes with the NVIDIA"
          + " driver");
    }
    try (InputStream out = process.getInputStream()) {
      // Its answer is one short line, which fits the pipe: wait first, so a hung driver cannot block the read.
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return Reading.unknown("nvidia-smi did not answer within " + TIMEOUT_SECONDS + " s");
      }
      String text = new String(out.readAllBytes(), StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0) {
        return Reading.unknown("nvidia-smi failed for GPU " + device + " (exit " + process.exitValue() + "): "
            + firstLine(text));
      }
      return parse(text, device);
    } catch (IOException e) {
      return Reading.unknown("reading nvidia-smi's answer failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return Reading.unknown("interrupted while waiting for nvidia-smi");
    }
  }

  /** Parses {@code "<total>, <free>"} in MiB. */
  static Reading parse(String text, int device) {
    String line = firstLine(text);
    String[] parts = line.split(",");
    if (parts.length != 2) {
      return Reading.unknown("nvidia-smi's answer for GPU " + device + " is not \"<total MiB>, <free MiB>\": \""
          + line + "\"");
    }
    try {
      long total = Long.parseLong(parts[0].strip());
      long free = Long.parseLong(parts[1].strip());
      if (total < 0 || free < 0 || free > total) {
        return Reading.unknown("nvidia-smi reports " + free + " MiB free of " + total + " MiB for GPU " + device);
      }
      return Reading.of(total * MIB, free * MIB);
    } catch (NumberFormatException e) {
      return Reading.unknown("nvidia-smi's answer for GPU " + device + " is not two numbers: \"" + line + "\"");
    }
  }

  private static String firstLine(String text) {
    String stripped = text.strip();
    int newline = stripped.indexOf('\n');
    return newline < 0 ? stripped : stripped.substring(0, newline).strip();
  }
}
