package org.worldexplorer.runtime.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import org.joml.Matrix4f;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the Java selectors against selections written by models/tools/memory_golden.py (numpy). */
class GoldenSelectionsTest {

  private static JsonNode golden;
  private static ListCameraHistory history;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = GoldenSelectionsTest.class.getResourceAsStream("golden_selections.json")) {
      golden = new ObjectMapper().readTree(in);
    }
    history = new ListCameraHistory();
    for (JsonNode rowMajor : golden.get("w2c_row_major")) {
      float[] columnMajor = new float[16];
      for (int row = 0; row < 4; row++) {
        for (int column = 0; column < 4; column++) {
          columnMajor[4 * column + row] = (float) rowMajor.get(4 * row + column).asDouble();
        }
      }
      history.add(new Matrix4f().set(columnMajor));
    }
  }

  @Test
  void queryPointCountMatchesPython() {
    ViewOverlapCounter counter = new ViewOverlapCounter(MonteCarloPoints.shared(), MemoryConfig.upstream8b());
    assertEquals(golden.get("query_points").asInt(), counter.querySize());
  }

  @Test
  void exactMatchesPythonFor8b() {
    check("upstream8b", new ExactMemorySelector(MemoryConfig.upstream8b()));
  }

  @Test
  void exactMatchesPythonFor5b() {
    check("upstream5b", new ExactMemorySelector(MemoryConfig.upstream5b()));
  }

  @Test
  void indexedMatchesPythonFor8b() {
    check("upstream8b", new IndexedMemorySelector(MemoryConfig.upstream8b()));
  }

  private static void check(String preset, MemorySelector selector) {
    int checked = 0;
    Iterator<Map.Entry<String, JsonNode>> chunks = golden.get("selections").get(preset).fields();
    while (chunks.hasNext()) {
      Map.Entry<String, JsonNode> chunk = chunks.next();
      int chunkStart = Integer.parseInt(chunk.getKey());
      int[] expected = new int[chunk.getValue().size()];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = chunk.getValue().get(i).asInt();
      }
      assertArrayEquals(expected, ExactMemorySelectorTest.select(selector, history, chunkStart, 4),
          preset + " chunk " + chunkStart);
      checked++;
    }
    assertEquals(89, checked, "chunks in the golden file");
  }
}
