package org.worldexplorer.runtime.bundle;

import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Before a bundle loads on CUDA: does its memory estimate fit in the GPU's free memory? The estimate is the
 * manifest's {@code footprint} at its context, or, without one, its graph files and tensors (a lower bound). When
 * it does not fit, the message says needed against free and what to change.
 */
public final class GpuFitCheck {

  /** How the check ended. */
  public enum Status {
    /** The estimate fits in the free memory. */
    FITS,
    /** The estimate exceeds the free memory; loading would run out of GPU memory. */
    DOES_NOT_FIT,
    /** The probe could not read the GPU; nothing was compared. */
    SKIPPED
  }

  /**
   * The check's result.
   *
   * @param status fits, does not fit, or skipped
   * @param neededBytes the estimate, at the manifest's context
   * @param message one line for a person: the numbers and, when it does not fit, what to change
   */
  public record Outcome(Status status, long neededBytes, String message) {

    public Outcome {
      Require.present(status, "status");
      Require.text(message, "message");
    }

    public boolean fits() {
      return status != Status.DOES_NOT_FIT;
    }
  }

  private GpuFitCheck() {}

  /** Estimates the bundle in {@code directory} and compares it with what {@code probe} reads for {@code device}. */
  public static Outcome check(Path directory, Manifest manifest, GpuMemoryProbe probe, int device) {
    FootprintEstimate footprint = FootprintEstimate.of(manifest);
    long needed;
    String source;
    if (footprint != null) {
      needed = footprint.totalBytes();
      source = "footprint estimate at " + footprint.contextLatents() + " context latents";
    } else {
      needed = GraphSizeEstimate.of(directory, manifest).totalBytes();
      source = "graph files and tensors only; the manifest has no footprint, so activations are not counted";
    }
    GpuMemoryProbe.Reading reading = probe.read(device);
    String need = "bundle '" + manifest.name() + "' needs about " + ByteCount.format(needed) + " of GPU memory ("
        + source + ")";
    if (!reading.known()) {
      return new Outcome(Status.SKIPPED, needed, "GPU memory check skipped: " + reading.unknownReason() + ". "
          + need + ".");
    }
    String free = "GPU " + device + " has " + ByteCount.format(reading.freeBytes()) + " free of "
        + ByteCount.format(reading.totalBytes());
    if (needed <= reading.freeBytes()) {
      return new Outcome(Status.FITS, needed, need + "; " + free + ": it fits.");
    }
    return new Outcome(Status.DOES_NOT_FIT, needed, need + ", but " + free + ". To fit, "
        + remedies(manifest, footprint, reading.freeBytes()) + "; or close what else uses the GPU, or run with"
        + " --device cpu.");
  }

  /** What would make the bundle fit: a smaller export, fp16 when it is fp32, or the largest context that fits. */
  private static String remedies(Manifest manifest, FootprintEstimate footprint, long freeBytes) {
    StringBuilder text = new StringBuilder("re-export it with a smaller --size (this one plays "
        + manifest.video().width() + "x" + manifest.video().height() + ")");
    if (footprint == null) {
      text.append(", or with --dtype fp16 if it was exported in fp32");
      return text.toString();
    }
    if (footprint.footprint().dtype().equals("fp32")) {
      text.append(", or with --dtype fp16 (it is fp32: half the weights and keys/values)");
    }
    OptionalInt context = footprint.largestContextThatFits(freeBytes);
    if (context.isPresent()) {
      int n = context.getAsInt();
      text.append(", or give it a smaller context: at most ").append(n)
          .append(n == 1 ? " context latent fits (" : " context latents fit (")
          .append(ByteCount.format(footprint.totalBytes(n))).append("; it uses ")
          .append(footprint.contextLatents()).append(")");
    } else {
      text.append("; a smaller context is not enough: with no context latents it still needs ")
          .append(ByteCount.format(footprint.totalBytes(0)));
    }
    return text.toString();
  }
}
