package org.worldexplorer.runtime.bundle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code doctor} prints about a bundle: one finding per check and, when the manifest could be read, memory
 * estimates.
 *
 * @param directory the bundle folder
 * @param findings every check in load order
 * @param memory the estimate from graph files and tensors, empty when the manifest could not be read
 * @param footprint the estimate from the manifest's {@code footprint}, empty when it has none
 */
public record ValidationReport(Path directory, List<Finding> findings, Optional<MemoryEstimate> memory,
    Optional<FootprintEstimate> footprint) {

  /** One check's outcome. */
  public record Finding(boolean ok, String message) {
    public Finding {
      Require.text(message, "finding message");
    }

    /** {@code ok   …} or {@code FAIL …}. */
    public String line() {
      return (ok ? "ok   " : "FAIL ") + message;
    }
  }

  /**
   * Memory a bundle needs at its largest sizes.
   *
   * @param graphBytes sizes of all graph files, external weights included
   * @param tensorBytes every graph input and output at its largest size ({@code n_ctx} =
   *     {@code memory.context_latents}, token counts = {@code max_tokens}, {@code n_vision} =
   *     {@code vision.tokens})
   */
  public record MemoryEstimate(long graphBytes, long tensorBytes) {
    /** Sum of both parts. */
    public long totalBytes() {
      return graphBytes + tensorBytes;
    }
  }

  public ValidationReport {
    Require.present(directory, "directory");
    findings = Require.list(findings, "findings");
    Require.present(memory, "memory");
    Require.present(footprint, "footprint");
  }

  /** True when every check passed. */
  public boolean ok() {
    return findings.stream().allMatch(Finding::ok);
  }

  /** The findings as printable lines, then the estimates. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (Finding finding : findings) {
      lines.add(finding.line());
    }
    memory.ifPresent(m -> lines.add("memory estimate: " + ByteCount.format(m.totalBytes()) + " (graphs "
        + ByteCount.format(m.graphBytes()) + ", tensors " + ByteCount.format(m.tensorBytes()) + ")"));
    footprint.ifPresent(f -> f.lines().forEach(line -> lines.add("memory " + line)));
    return lines;
  }
}
