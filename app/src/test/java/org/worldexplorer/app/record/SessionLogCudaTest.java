package org.worldexplorer.app.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.worldexplorer.runtime.bundle.CudaOptions;
import org.worldexplorer.runtime.bundle.CudaOptions.ConvAlgoSearch;

/** The CUDA options in the session-log header: written, read back, absent in older logs, and checked. */
class SessionLogCudaTest {

  private static final SessionLogFormat.Where WHERE = new SessionLogFormat.Where("walk.ndjson", 1);

  private static LogHeader header(CudaOptions cuda) {
    return new LogHeader("render", "2026-01-01T00:00:00Z", "/b", new BundleFingerprint("scene", "00", List.of()),
        "/i.png", "11", 7, "", "CUDA", 2, true, cuda, true, 320, 192, 24, 4, "poses", 0, 33, "walk.mp4");
  }

  @Test
  void theOptionsAreWrittenUnderOnnxRuntimesNamesAndReadBack() {
    CudaOptions cuda = new CudaOptions(1, OptionalLong.of(12L << 30), ConvAlgoSearch.HEURISTIC, false);
    ObjectNode json = SessionLogFormat.header(header(cuda));
    assertEquals("{\"device_id\":1,\"gpu_mem_limit\":12884901888,\"cudnn_conv_algo_search\":\"HEURISTIC\","
        + "\"use_tf32\":false}", json.get("settings").get("cuda").toString());
    assertEquals(header(cuda), SessionLogFormat.readHeader(json, WHERE));

    ObjectNode uncapped = SessionLogFormat.header(header(CudaOptions.defaults()));
    assertEquals("{\"device_id\":0,\"gpu_mem_limit\":null,\"cudnn_conv_algo_search\":\"EXHAUSTIVE\","
        + "\"use_tf32\":true}", uncapped.get("settings").get("cuda").toString());
    assertEquals(CudaOptions.defaults(), SessionLogFormat.readHeader(uncapped, WHERE).cuda());
  }

  @Test
  void aLogFromBeforeTheOptionsReadsAsOnnxRuntimesDefaults() {
    ObjectNode json = SessionLogFormat.header(header(CudaOptions.defaults().deterministic()));
    ((ObjectNode) json.get("settings")).remove("cuda");
    assertEquals(CudaOptions.defaults(), SessionLogFormat.readHeader(json, WHERE).cuda());
  }

  @Test
  void badValuesNameTheFieldAndTheLine() {
    ObjectNode json = SessionLogFormat.header(header(CudaOptions.defaults()));
    ObjectNode cuda = (ObjectNode) json.get("settings").get("cuda");
    cuda.put("gpu_mem_limit", "12G");
    assertEquals("walk.ndjson line 1: 'gpu_mem_limit' must be a whole number of bytes or null (no cap)",
        assertThrows(SessionLogException.class, () -> SessionLogFormat.readHeader(json, WHERE)).getMessage());
    cuda.put("gpu_mem_limit", 0);
    assertEquals("walk.ndjson line 1: the CUDA memory limit must be above 0 bytes, got 0",
        assertThrows(SessionLogException.class, () -> SessionLogFormat.readHeader(json, WHERE)).getMessage());
    cuda.putNull("gpu_mem_limit").put("cudnn_conv_algo_search", "fastest");
    assertEquals("walk.ndjson line 1: 'cudnn_conv_algo_search' must be EXHAUSTIVE, HEURISTIC or DEFAULT, got"
        + " 'fastest'", assertThrows(SessionLogException.class, () -> SessionLogFormat.readHeader(json, WHERE))
            .getMessage());
    cuda.put("cudnn_conv_algo_search", "DEFAULT").put("use_tf32", 1);
    assertEquals("walk.ndjson line 1: 'use_tf32' must be true or false",
        assertThrows(SessionLogException.class, () -> SessionLogFormat.readHeader(json, WHERE)).getMessage());
  }

  @Test
  void replaySettingsKeepThreadsDeviceAndCapAndForceTheDeterministicChoices() {
    CudaOptions logged = new CudaOptions(1, OptionalLong.of(2L << 30), ConvAlgoSearch.EXHAUSTIVE, true);
    var settings = SessionSetup.settings(header(logged), logged.withDeviceId(0));
    assertEquals(2, settings.intraOpThreads());
    assertEquals(true, settings.deterministic());
    assertEquals(new CudaOptions(0, OptionalLong.of(2L << 30), ConvAlgoSearch.DEFAULT, false), settings.cuda());
  }
}
