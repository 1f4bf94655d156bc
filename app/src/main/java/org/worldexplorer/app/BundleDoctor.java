package org.worldexplorer.app;

import java.nio.file.Path;
import org.worldexplorer.runtime.bundle.ByteCount;
import org.worldexplorer.runtime.bundle.BundleException;
import org.worldexplorer.runtime.bundle.GpuFitCheck;
import org.worldexplorer.runtime.bundle.GpuMemoryProbe;
import org.worldexplorer.runtime.bundle.Manifest;
import org.worldexplorer.runtime.bundle.ManifestReader;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.ValidationReport;

/**
 * The bundle part of {@code doctor}: every load check, the memory estimate (from the manifest's footprint, at its
 * context and at smaller ones, or from the graph files), and whether it fits the GPU's free memory.
 */
final class BundleDoctor {

  /** GPU index the fit check reads; the runtime's default CUDA device. */
  private BundleDoctor() {}

  static void check(DoctorCommand.DoctorReport report, Path directory, GpuMemoryProbe probe, int device) {
    ValidationReport validation = ModelBundle.validate(directory);
    for (ValidationReport.Finding finding : validation.findings()) {
      if (finding.ok()) {
        report.ok("bundle", finding.message());
      } else {
        report.fail("bundle", finding.message(),
            "rebuild the bundle with models/ (see models/README.md) or pass another --bundle folder");
      }
    }
    if (validation.footprint().isPresent()) {
      validation.footprint().get().lines().forEach(line -> report.ok("memory", line));
    } else {
      validation.memory().ifPresent(m -> report.ok("memory", "about " + ByteCount.format(m.totalBytes())
          + " (graphs " + ByteCount.format(m.graphBytes()) + ", tensors per chunk " + ByteCount.format(m.tensorBytes())
          + "); the manifest has no footprint, so activations are not counted"));
    }
    if (validation.memory().isPresent()) {
      checkGpu(report, directory, probe, device);
    }
  }

  private static void checkGpu(DoctorCommand.DoctorReport report, Path directory, GpuMemoryProbe probe,
      int device) {
    Manifest manifest;
    try {
      manifest = ManifestReader.read(directory.resolve(ManifestReader.FILE_NAME));
    } catch (BundleException e) {
      return; // already reported as a failed bundle check
    }
    GpuFitCheck.Outcome outcome = GpuFitCheck.check(directory, manifest, probe, device);
    if (outcome.fits()) {
      report.ok("gpu memory", outcome.message());
    } else {
      report.fail("gpu memory", outcome.message(), "make one of those changes before running it on the GPU");
    }
  }
}
