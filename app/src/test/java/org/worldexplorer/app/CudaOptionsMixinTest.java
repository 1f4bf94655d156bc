package org.worldexplorer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.worldexplorer.runtime.bundle.CudaOptions;
import org.worldexplorer.runtime.bundle.CudaOptions.ConvAlgoSearch;
import picocli.CommandLine;

/** The CUDA flags: parsing on every command that has them, their errors, doctor's lines and replay's forcing. */
class CudaOptionsMixinTest {

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = WorldExplorer.newCommandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Parses without running and returns the subcommand's flags. */
  private static CudaOptionsMixin parse(String command, String... args) {
    CommandLine cli = WorldExplorer.newCommandLine();
    String[] all = new String[args.length + 1];
    all[0] = command;
    System.arraycopy(args, 0, all, 1, args.length);
    cli.parseArgs(all);
    Object user = cli.getSubcommands().get(command).getCommand();
    if (user instanceof ExploreCommand c) {
      return c.cuda;
    } else if (user instanceof RenderCommand c) {
      return c.cuda;
    } else if (user instanceof ReplayCommand c) {
      return c.cuda;
    } else if (user instanceof BenchCommand c) {
      return c.cuda;
    }
    return ((DoctorCommand) user).cuda;
  }

  @Test
  void everyFlagParsesOnEveryCommandThatRunsTheModel() {
    CudaOptions expected = new CudaOptions(1, OptionalLong.of(12L << 30), ConvAlgoSearch.HEURISTIC, false);
    for (String command : new String[] {"explore", "bench", "replay", "doctor"}) {
      String[] args = command.equals("replay")
          ? new String[] {"x.ndjson", "--cuda-device", "1", "--cuda-memory-limit", "12G"}
          : new String[] {"--cuda-device", "1", "--cuda-memory-limit", "12G", "--cudnn-search", "HEURISTIC",
              "--no-tf32"};
      CudaOptions parsed = parse(command, args).options();
      assertEquals(command.equals("replay") ? CudaOptions.defaults().withDeviceId(1)
          .withMemoryLimitBytes(OptionalLong.of(12L << 30)) : expected, parsed, command);
    }
    CudaOptions render = parse("render", "--image", "a.png", "--path", "w-1", "--out", "o.mp4", "--cudnn-search",
        "default", "--cuda-memory-limit", "800m").options();
    assertEquals(new CudaOptions(0, OptionalLong.of(800L << 20), ConvAlgoSearch.DEFAULT, true), render);
  }

  @Test
  void flagsLeftOutKeepTheBase() {
    CudaOptions logged = new CudaOptions(2, OptionalLong.of(1L << 30), ConvAlgoSearch.EXHAUSTIVE, true);
    assertEquals(logged, parse("bench").over(logged));
    assertEquals(CudaOptions.defaults(), parse("bench").options());
    assertEquals(logged.withDeviceId(0).withTf32(false), parse("bench", "--cuda-device", "0", "--no-tf32")
        .over(logged));
    assertEquals(CudaOptions.defaults(), parse("bench", "--tf32").options());
  }

  @Test
  void badValuesAreUsageErrorsThatSayWhatIsExpected() {
    Run size = run("doctor", "--cuda-memory-limit", "12GB");
    assertEquals(2, size.exitCode());
    assertTrue(size.err().contains("Invalid value for option '--cuda-memory-limit': a memory size is bytes or a"
        + " number with K, M, G or T (powers of 1024), like 12G, 800M or 1073741824; got '12GB'"), size.err());
    Run negative = run("doctor", "--cuda-device", "-1");
    assertEquals(2, negative.exitCode());
    assertTrue(negative.err().contains("Invalid value for option '--cuda-device': the CUDA device index must be 0"
        + " or more, got -1"), negative.err());
    Run word = run("bench", "--cuda-device", "first");
    assertEquals(2, word.exitCode());
    assertTrue(word.err().contains("Invalid value for option '--cuda-device': 'first' is not a device index;"),
        word.err());
    Run search = run("explore", "--cudnn-search", "fastest");
    assertEquals(2, search.exitCode());
    assertTrue(search.err().contains("Invalid value for option '--cudnn-search': expected one of [EXHAUSTIVE,"
        + " HEURISTIC, DEFAULT] (case-insensitive) but was 'fastest'"), search.err());
  }

  @Test
  void helpListsTheFlags() {
    Run help = run("explore", "--help");
    for (String flag : new String[] {"--cuda-device=N", "--cuda-memory-limit=SIZE",
        "--cudnn-search=exhaustive|heuristic|default", "--[no-]tf32"}) {
      assertTrue(help.out().contains(flag), flag + " in " + help.out());
    }
  }

  @Test
  void doctorPrintsTheOptionsThatWouldBeUsedWithoutCuda() {
    Run plain = run("doctor");
    assertEquals(0, plain.exitCode(), plain.out() + plain.err());
    assertTrue(plain.out().contains("ok    cuda         not used: CUDA is not available: this ONNX Runtime build has"
        + " no CUDA execution provider"), plain.out());
    assertTrue(plain.out().contains("ok    cuda options would be device_id=0 arena_extend_strategy=kNextPowerOfTwo"
        + " cudnn_conv_algo_search=EXHAUSTIVE cudnn_conv_use_max_workspace=1 do_copy_in_default_stream=1"
        + " use_tf32=1\n"), plain.out());
    assertTrue(plain.out().contains("ok    cuda replay  replay and explore --resume force"
        + " cudnn_conv_algo_search=DEFAULT use_tf32=0"), plain.out());

    Run flags = run("doctor", "--cuda-device", "1", "--cuda-memory-limit", "800M", "--cudnn-search", "heuristic",
        "--no-tf32");
    assertEquals(0, flags.exitCode(), flags.out() + flags.err());
    assertTrue(flags.out().contains("ok    cuda options would be device_id=1 gpu_mem_limit=838860800"
        + " arena_extend_strategy=kSameAsRequested cudnn_conv_algo_search=HEURISTIC cudnn_conv_use_max_workspace=1"
        + " do_copy_in_default_stream=1 use_tf32=0\n"), flags.out());
  }

  @Test
  void replayRefusesFlagsThatUndoItsDeterministicChoices() {
    Run tf32 = run("replay", "/nonexistent/walk.ndjson", "--tf32", "--cudnn-search", "exhaustive");
    assertEquals(2, tf32.exitCode());
    assertEquals("replay always uses --cudnn-search default and --no-tf32 so that the frames repeat; leave out"
        + " --cudnn-search exhaustive and --tf32", tf32.err().strip());
    Run resume = run("explore", "--resume", "/nonexistent/walk.ndjson", "--cudnn-search", "heuristic");
    assertEquals(2, resume.exitCode());
    assertTrue(resume.err().startsWith("explore --resume always uses --cudnn-search default and --no-tf32"),
        resume.err());
    // The deterministic values themselves are allowed: the replay then fails only on the missing log.
    Run same = run("replay", "/nonexistent/walk.ndjson", "--no-tf32", "--cudnn-search", "default");
    assertEquals(1, same.exitCode(), same.err());
    assertTrue(same.err().contains("/nonexistent/walk.ndjson"), same.err());
  }

  @Test
  void replaySaysWhatItForcesAndWhenTheRecordingUsedOtherChoices() {
    CudaOptions fast = new CudaOptions(0, OptionalLong.empty(), ConvAlgoSearch.EXHAUSTIVE, true);
    assertEquals("Replaying on CUDA with device_id=0 arena_extend_strategy=kNextPowerOfTwo"
        + " cudnn_conv_algo_search=DEFAULT cudnn_conv_use_max_workspace=1 do_copy_in_default_stream=1 use_tf32=0"
        + " (replay forces cudnn_conv_algo_search=DEFAULT and use_tf32=0 so that the frames repeat); the recording"
        + " was made with cuDNN search EXHAUSTIVE and TF32 on, while replay uses DEFAULT and TF32 off, so a replay"
        + " can differ; use --cudnn-search default --no-tf32 for frames that replay bit for bit",
        ReplayCommand.cudaLine(fast.deterministic(), fast));
    assertTrue(ReplayCommand.cudaLine(fast.deterministic(), fast.deterministic()).endsWith("so that the frames"
        + " repeat)"));
    assertEquals(Optional.empty(), CudaOptionsMixin.replayNote(fast.deterministic()));
  }
}
