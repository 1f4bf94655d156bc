package org.worldexplorer.runtime.bundle;

import ai.onnxruntime.OnnxJavaType;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The element types that may cross a graph boundary (bundle format: float32 or int64, nothing else). */
public enum DType {
  FLOAT32("float32", 4, OnnxJavaType.FLOAT),
  INT64("int64", 8, OnnxJavaType.INT64);

  private final String jsonName;
  private final int bytes;
  private final OnnxJavaType ortType;

  DType(String jsonName, int bytes, OnnxJavaType ortType) {
    this.jsonName = jsonName;
    this.bytes = bytes;
    this.ortType = ortType;
  }

  /** Parses the manifest spelling; anything else names the two valid options. */
  @JsonCreator
  public static DType fromJson(String name) {
    for (DType type : values()) {
      if (type.jsonName.equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("dtype must be \"float32\" or \"int64\", got \"" + name
        + "\" (graphs cast to these at their edges)");
  }

  /** The manifest spelling, e.g. {@code float32}. */
  @JsonValue
  public String jsonName() {
    return jsonName;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** The ONNX Runtime Java type a graph tensor of this dtype reports. */
  public OnnxJavaType ortType() {
    return ortType;
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
