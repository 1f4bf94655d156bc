package org.worldexplorer.runtime.bundle;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.worldexplorer.runtime.bundle.ValidationReport.Finding;

/**
 * The load checks in report mode: instead of stopping at the first failure, every check that can still run does,
 * so {@code doctor} lists everything wrong at once. Graphs are opened on the CPU and closed again.
 */
final class BundleValidator {

  private BundleValidator() {}

  static ValidationReport validate(Path directory) {
    List<Finding> findings = new ArrayList<>();
    Manifest manifest;
    try {
      manifest = BundleFolder.readManifest(directory);
    } catch (BundleException e) {
      findings.add(new Finding(false, e.getMessage()));
      return new ValidationReport(directory, findings, Optional.empty(), Optional.empty());
    }
    findings.add(new Finding(true, "manifest.json: bundle '" + manifest.name() + "', format version "
        + manifest.version() + ", " + manifest.graphKeys().size() + " graphs"));

    List<String> missing = BundleFolder.missingFiles(directory, manifest);
    missing.forEach(problem -> findings.add(new Finding(false, problem)));
    if (missing.isEmpty()) {
      findings.add(new Finding(true, "every file the manifest names is present"));
    }

    BundleContract contract = BundleContract.of(manifest);
    for (String key : manifest.graphKeys()) {
      List<String> problems = ContractCheck.problems(contract.graph(key), manifest.graph(key));
      report(findings, problems, manifest.graph(key).file() + ": manifest entry follows the bundle format");
    }

    checkGraphs(directory, manifest, findings);
    return new ValidationReport(directory, findings, Optional.of(GraphSizeEstimate.of(directory, manifest)),
        Optional.ofNullable(FootprintEstimate.of(manifest)));
  }

  private static void checkGraphs(Path directory, Manifest manifest, List<Finding> findings) {
    SessionFactory factory;
    try {
      factory = SessionFactory.create(ExecutionProvider.CPU, SessionSettings.defaults());
    } catch (BundleException e) {
      findings.add(new Finding(false, e.getMessage()));
      return;
    }
    try (factory) {
      for (String key : manifest.graphKeys()) {
        GraphSpec graph = manifest.graph(key);
        if (!directory.resolve(graph.file()).toFile().isFile()) {
          continue;
        }
        try (OrtSession session = BundleFolder.open(factory, directory, graph)) {
          List<String> problems = SignatureCheck.problems(manifest, graph, session.getInputInfo(),
              session.getOutputInfo());
          report(findings, problems, graph.file() + ": graph signature matches the manifest");
        } catch (BundleException | OrtException e) {
          findings.add(new Finding(false, e.getMessage()));
        }
      }
    }
  }

  private static void report(List<Finding> findings, List<String> problems, String success) {
    if (problems.isEmpty()) {
      findings.add(new Finding(true, success));
    }
    problems.forEach(problem -> findings.add(new Finding(false, problem)));
  }
}
