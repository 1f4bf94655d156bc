package org.worldexplorer.runtime.bundle;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One entry of a tensor shape: a fixed size (a JSON number) or a symbolic size (a JSON string such as
 * {@code "n_ctx"}) that the graph must keep dynamic.
 */
@JsonDeserialize(using = Dim.Reader.class)
public sealed interface Dim permits Dim.Fixed, Dim.Symbol {

  /** A size known when the bundle is exported. */
  record Fixed(long size) implements Dim {
    public Fixed {
      if (size < 1) {
        throw new IllegalArgumentException("a fixed size must be at least 1, got " + size);
      }
    }

    @Override
    public String toString() {
      return Long.toString(size);
    }
  }

  /** A size chosen per call, e.g. {@code n_ctx}. */
  record Symbol(String name) implements Dim {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    public Symbol {
      Require.matches(name, NAME, "symbolic size", "a lower-case name like \"n_ctx\"");
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Dim of(long size) {
    return new Fixed(size);
  }

  static Dim of(String symbol) {
    return new Symbol(symbol);
  }

  /** Formats a shape the way the bundle format writes it: {@code [1, 8, n_ctx, 12, 20]}. */
  static String format(List<Dim> shape) {
    return shape.stream().map(Dim::toString).collect(Collectors.joining(", ", "[", "]"));
  }

  /** Reads a JSON number as a fixed size and a JSON string as a symbol. */
  final class Reader extends StdDeserializer<Dim> {
    Reader() {
      super(Dim.class);
    }

    @Override
    public Dim deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      JsonToken token = parser.currentToken();
      if (token == JsonToken.VALUE_NUMBER_INT) {
        return of(parser.getLongValue());
      }
      if (token == JsonToken.VALUE_STRING) {
        return of(parser.getText());
      }
      return (Dim) context.handleUnexpectedToken(Dim.class, token, parser,
          "a shape entry must be a whole number (fixed size) or a name like \"n_ctx\" (symbolic size), got %s",
          parser.getText());
    }
  }
}
