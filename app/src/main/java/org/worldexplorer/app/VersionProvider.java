package org.worldexplorer.app;

import picocli.CommandLine;

/** Reads the version Maven wrote into the jar manifest, so --version never drifts from the pom. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = WorldExplorer.class.getPackage().getImplementationVersion();
    return new String[] {"worldexplorer " + (version == null ? "(development build)" : version)};
  }
}
