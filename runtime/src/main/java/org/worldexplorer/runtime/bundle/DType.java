package org.worldexplorer.runtime.bundle;

import ai.onnxruntime.OnnxJavaType;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The element types that may cross a graph boundary (bundle format: int64, or a float tensor in float32, float16
 * or bfloat16). The host keeps float32 buffers; a half-precision boundary is converted where the tensor is made.
 */
public enum DType {
  FLOAT32("float32", 4, OnnxJavaType.FLOAT),
  FLOAT16("float16", 2, OnnxJavaType.FLOAT16),
  BFLOAT16("bfloat16", 2, OnnxJavaType.BFLOAT16),
  INT64("int64", 8, OnnxJavaType.INT64);

  private final String jsonName;
  private final int bytes;
  private final OnnxJavaType ortType;

  DType(String jsonName, int bytes, OnnxJavaType ortType) {
    this.jsonName = jsonName;
    this.bytes = bytes;
    this.ortType = ortType;
  }

  /** Parses the manifest spelling; anything else names the valid options. */
  @JsonCreator
  public static DType fromJson(String name) {
    for (DType type : values()) {
      if (type.jsonName.equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("dtype must be \"float32\", \"float16\", \"bfloat16\" or \"int64\", got \""
        + name + "\" (graphs cast to these at their edges)");
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

  /** True for float32, float16 and bfloat16: the types a float tensor of the format may have. */
  public boolean isFloat() {
    return this != INT64;
  }

  /** True for float16 and bfloat16: the host converts these from and to its float32 buffers. */
  public boolean isHalf() {
    return this == FLOAT16 || this == BFLOAT16;
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
