package org.worldexplorer.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.worldexplorer.runtime.action.DualAction;
import org.worldexplorer.runtime.bundle.BundleException;
import org.worldexplorer.runtime.bundle.ExecutionProvider;
import org.worldexplorer.runtime.bundle.GraphRunException;
import org.worldexplorer.runtime.bundle.ModelBundle;
import org.worldexplorer.runtime.bundle.SessionSettings;
import org.worldexplorer.runtime.session.ChunkResult;
import org.worldexplorer.runtime.session.StageTimings;
import org.worldexplorer.runtime.session.StartImage;
import org.worldexplorer.runtime.session.WorldSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the headless rollout on a fixed walk and reports per-stage latency, FPS and allocation per chunk. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure the headless rollout: per-stage latency, generation FPS, host overhead, allocation.")
final class BenchCommand implements Callable<Integer> {

  private static final String[] STAGES = {"select", "dit", "decode", "host", "total"};

  @Spec CommandSpec spec;

  @Option(names = "--bundle", paramLabel = "DIR", description = "Model bundle (default: the embedded reference-scene).")
  Path bundle;

  @Option(names = "--image", paramLabel = "PNG|JPG", description = "Start image (default: the bundled meadow).")
  Path image;

  @Option(names = "--chunks", paramLabel = "N", defaultValue = "40", description = "Chunks to time (default: ${DEFAULT-VALUE}).")
  int chunks;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "Chunks run first and not timed (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "ONNX Runtime intra-op threads (0: all cores).")
  int threads;

  @Option(names = "--device", paramLabel = "auto|cuda|cpu", defaultValue = "auto",
      description = "Where the model runs (default: ${DEFAULT-VALUE}).")
  ExecutionProvider device;

  @Mixin CudaOptionsMixin cuda;

  @Option(names = "--json", paramLabel = "FILE", description = "Where to write the results (default: bench.json).", defaultValue = "bench.json")
  Path json;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (chunks < 1 || warmup < 0) {
      spec.commandLine().getErr().println("--chunks must be at least 1 and --warmup at least 0");
      return 2;
    }
    Path bundleDir = bundle != null ? bundle : AppPaths.defaultBundle();
    ExecutionProvider provider = device;
    SessionSettings settings = (threads > 0 ? SessionSettings.defaults().withIntraOpThreads(threads)
        : SessionSettings.defaults()).withCuda(cuda.options());
    long[][] samples = new long[STAGES.length][chunks];
    long[] allocated = new long[chunks];
    int framesTimed = 0;
    var threadBean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    try (ModelBundle model = ModelBundle.open(bundleDir, provider, settings);
        WorldSession session = new WorldSession(model,
            StartImage.read(image != null ? image : AppPaths.defaultImage()), 1, "", true, null)) {
      DualAction[] walk = new DualAction[session.chunkLatents()];
      for (int c = 0; c < warmup + chunks; c++) {
        fillWalk(c, walk);
        long before = threadBean.getThreadAllocatedBytes(self);
        ChunkResult r = session.generateChunk(walk);
        long after = threadBean.getThreadAllocatedBytes(self);
        if (c >= warmup) {
          int i = c - warmup;
          StageTimings t = r.timings();
          samples[0][i] = t.selectNanos;
          samples[1][i] = t.ditNanos;
          samples[2][i] = t.decodeNanos;
          samples[3][i] = t.hostNanos;
          samples[4][i] = t.totalNanos;
          allocated[i] = after - before;
          framesTimed += r.frameCount();
        }
      }
      Map<String, Object> report = report(model, samples, allocated, framesTimed);
      print(out, report);
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      mapper.writeValue(json.toFile(), report);
      out.println("Wrote " + json.toAbsolutePath());
      return 0;
    } catch (BundleException | GraphRunException e) {
      spec.commandLine().getErr().println("bench failed: " + e.getMessage());
      return 1;
    }
  }

  /** A walk that goes forward, turns, strafes and comes back, so memory retrieval has real work. */
  private static void fillWalk(int chunk, DualAction[] walk) {
    int phase = (chunk / 4) % 4;
    DualAction a = switch (phase) {
      case 0 -> new DualAction(9, 0.08f, 0f, 0f, 0f);
      case 1 -> new DualAction(1, 0f, 0f, 3f, 0f);
      case 2 -> new DualAction(27, 0f, 0.08f, 0f, 0f);
      default -> new DualAction(19, 0f, 0f, -3f, 0f);
    };
    Arrays.fill(walk, a);
  }

  private Map<String, Object> report(ModelBundle model, long[][] samples, long[] allocated, int frames) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("bundle", model.manifest().name());
    report.put("provider", model.provider().name());
    if (model.provider() == ExecutionProvider.CUDA) {
      report.put("cuda_options", cuda.options().providerOptions());
    }
    report.put("chunks", chunks);
    report.put("cores", Runtime.getRuntime().availableProcessors());
    Map<String, Object> stages = new LinkedHashMap<>();
    for (int s = 0; s < STAGES.length; s++) {
      long[] sorted = samples[s].clone();
      Arrays.sort(sorted);
      Map<String, Double> stat = new LinkedHashMap<>();
      stat.put("mean_ms", Arrays.stream(sorted).average().orElse(0) / 1e6);
      stat.put("p50_ms", percentile(sorted, 0.50) / 1e6);
      stat.put("p99_ms", percentile(sorted, 0.99) / 1e6);
      stages.put(STAGES[s], stat);
    }
    report.put("stages_ms", stages);
    double totalSeconds = Arrays.stream(samples[4]).sum() / 1e9;
    report.put("generation_fps", frames / totalSeconds);
    report.put("host_overhead_ms_per_chunk", Arrays.stream(samples[3]).average().orElse(0) / 1e6);
    long[] sortedAlloc = allocated.clone();
    Arrays.sort(sortedAlloc);
    report.put("allocated_bytes_per_chunk_p50", sortedAlloc[sortedAlloc.length / 2]);
    report.put("allocated_bytes_per_chunk_max", sortedAlloc[sortedAlloc.length - 1]);
    return report;
  }

  private static long percentile(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  @SuppressWarnings("unchecked")
  private static void print(PrintWriter out, Map<String, Object> report) {
    out.printf(Locale.ROOT, "bundle %s on %s, %d chunks, %d cores%n", report.get("bundle"), report.get("provider"),
        report.get("chunks"), report.get("cores"));
    if (report.get("cuda_options") instanceof Map<?, ?> cudaOptions) {
      out.println("CUDA options " + cudaOptions);
    }
    out.printf(Locale.ROOT, "%-8s %10s %10s %10s%n", "stage", "mean ms", "p50 ms", "p99 ms");
    Map<String, Map<String, Double>> stages = (Map<String, Map<String, Double>>) report.get("stages_ms");
    stages.forEach((name, s) -> out.printf(Locale.ROOT, "%-8s %10.2f %10.2f %10.2f%n", name, s.get("mean_ms"),
        s.get("p50_ms"), s.get("p99_ms")));
    out.printf(Locale.ROOT, "generation %.1f FPS, host overhead %.2f ms per chunk, allocated per chunk p50 %d B,"
        + " max %d B%n", report.get("generation_fps"), report.get("host_overhead_ms_per_chunk"),
        report.get("allocated_bytes_per_chunk_p50"), report.get("allocated_bytes_per_chunk_max"));
    out.flush();
  }
}
