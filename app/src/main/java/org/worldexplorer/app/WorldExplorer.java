package org.worldexplorer.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code worldexplorer} command: entry point that lists the subcommands. */
@Command(
    name = "worldexplorer",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Play an interactive video world model live on your own machine.",
    subcommands = {ExploreCommand.class, RenderCommand.class, ReplayCommand.class, BenchCommand.class, DoctorCommand.class,
        CommandLine.HelpCommand.class})
public final class WorldExplorer implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    quietLibraryLogging();
    System.exit(newCommandLine().execute(args));
  }

  /** The command prints what matters itself; library INFO lines would bury it. WORLDEXPLORER_LOG=INFO shows them. */
  private static void quietLibraryLogging() {
    String level = System.getenv().getOrDefault("WORLDEXPLORER_LOG", "WARNING");
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    java.util.logging.Level parsed;
    try {
      parsed = java.util.logging.Level.parse(level.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      parsed = java.util.logging.Level.WARNING;
    }
    root.setLevel(parsed);
    for (java.util.logging.Handler handler : root.getHandlers()) {
      handler.setLevel(parsed);
    }
  }

  /** The configured command line, shared by {@link #main} and the tests. */
  public static CommandLine newCommandLine() {
    // --device auto|cuda|cpu maps onto ExecutionProvider; a bad value lists the choices.
    return new CommandLine(new WorldExplorer()).setCaseInsensitiveEnumValuesAllowed(true);
  }
}
