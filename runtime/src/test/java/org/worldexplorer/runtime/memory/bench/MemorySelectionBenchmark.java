package org.worldexplorer.runtime.memory.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.worldexplorer.runtime.memory.ExactMemorySelector;
import org.worldexplorer.runtime.memory.IndexedMemorySelector;
import org.worldexplorer.runtime.memory.ListCameraHistory;
import org.worldexplorer.runtime.memory.MemoryConfig;
import org.worldexplorer.runtime.memory.MemorySelector;
import org.worldexplorer.runtime.memory.RandomWalk;

/**
 * Cost of one memory selection (8B preset, one 4-latent chunk) after {@code history} latents of a walk at
 * upstream's step (0.08 units and 3 degrees per latent). {@code walk=exploring}: 2 % of walking segments head
 * back to an earlier place; {@code walk=revisiting}: 30 %, which keeps the whole history within a few tens of
 * units (dense). Each call selects for one of the last 64 chunks in turn, so the number is an average over
 * nearby positions.
 *
 * <p>Run (from the repository root; extra JMH options after the class name, e.g. {@code -p history=21600}):
 * <pre>
 * mvn -B -pl runtime -q test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="-cp %classpath org.openjdk.jmh.Main MemorySelectionBenchmark -wi 2 -i 3 -f 1 -prof gc"
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class MemorySelectionBenchmark {

  private static final int CHUNKS_CYCLED = 64;

  @Param({"1000", "21600"})
  public int history;

  @Param({"exact", "indexed"})
  public String selector;

  @Param({"exploring", "revisiting"})
  public String walk;

  private ListCameraHistory poses;
  private MemorySelector memory;
  private final int[] out = new int[20];
  private int nextChunk;

  @Setup
  public void setUp() {
    // Four latents past the history: the poses of the chunk being generated.
    double returnChance = switch (walk) {
      case "exploring" -> 0.02;
      case "revisiting" -> 0.3;
      default -> throw new IllegalArgumentException("walk must be exploring or revisiting, got " + walk);
    };
    poses = RandomWalk.walk(history + 4, 42, 0.08f, 0f, returnChance);
    MemoryConfig config = MemoryConfig.upstream8b();
    memory = switch (selector) {
      case "exact" -> new ExactMemorySelector(config);
      case "indexed" -> new IndexedMemorySelector(config);
      default -> throw new IllegalArgumentException("selector must be exact or indexed, got " + selector);
    };
    memory.select(poses, chunkStart(0), 4, out); // builds the indexed selector's index outside the measurement
  }

  @Benchmark
  public int selectOneChunk() {
    int chunkStart = chunkStart(nextChunk);
    nextChunk = (nextChunk + 1) % CHUNKS_CYCLED;
    return memory.select(poses, chunkStart, 4, out);
  }

  private int chunkStart(int k) {
    return history - 4 * k;
  }
}
