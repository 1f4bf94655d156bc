package org.worldexplorer.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code worldexplorer} command: entry point that lists the subcommands. */
@Command(
    name = "worldexplorer",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Play an interactive video world model live on your own machine.",
    subcommands = {DoctorCommand.class, CommandLine.HelpCommand.class})
public final class WorldExplorer implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and the tests. */
  public static CommandLine newCommandLine() {
    return new CommandLine(new WorldExplorer());
  }
}
