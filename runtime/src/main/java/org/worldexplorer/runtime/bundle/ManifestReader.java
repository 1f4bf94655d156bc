package org.worldexplorer.runtime.bundle;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads {@code manifest.json} strictly (load check 1): every field must be present (null where the format allows
 * none), unknown fields are errors (typo protection), numbers are not coerced from strings, and every range rule
 * of the records applies. Errors name the field, where it is, and what was expected.
 */
public final class ManifestReader {

  /** The manifest's file name inside a bundle folder. */
  public static final String FILE_NAME = "manifest.json";

  private static final Pattern MISSING_PROPERTY = Pattern.compile("Missing (?:required )?creator property '([^']+)'");

  private static final PropertyNamingStrategies.NamingBase NAMING = new PropertyNamingStrategies.SnakeCaseStrategy();

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(NAMING)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private ManifestReader() {}

  /** Reads and validates the manifest at {@code file}. */
  public static Manifest read(Path file) throws BundleException {
    byte[] json;
    try {
      json = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new BundleException("Bundle folder " + file.getParent() + " has no " + FILE_NAME
          + ". A bundle folder holds manifest.json and its .onnx graphs (docs/bundle-format.md); rebuild it with"
          + " models/ or pass --bundle <folder>.", e);
    } catch (IOException e) {
      throw new BundleException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      return MAPPER.readValue(json, Manifest.class);
    } catch (MismatchedInputException e) {
      if (missingField(e) != null) {
        reportMisspelling(file, json, e);
      }
      throw new BundleException(describe(file, e), e);
    } catch (JsonProcessingException e) {
      throw new BundleException(describe(file, e), e);
    } catch (IOException e) {
      throw new BundleException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Jackson reports a missing field before an unknown one in the same object, but a misspelt field is both. When
   * the object that lacks a field also holds fields its record does not know, those are reported instead.
   */
  private static void reportMisspelling(Path file, byte[] json, MismatchedInputException missing)
      throws BundleException {
    List<JsonMappingException.Reference> path = missing.getPath();
    if (path.isEmpty() || !(path.get(path.size() - 1).getFrom() instanceof Class<?> type) || !type.isRecord()) {
      return;
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (IOException e) {
      return;
    }
    for (JsonMappingException.Reference ref : path.subList(0, path.size() - 1)) {
      node = ref.getFieldName() != null ? node.path(ref.getFieldName()) : node.path(ref.getIndex());
    }
    Set<String> known = Arrays.stream(type.getRecordComponents())
        .map(component -> NAMING.translate(component.getName()))
        .collect(Collectors.toCollection(TreeSet::new));
    List<String> unknown = new ArrayList<>();
    node.fieldNames().forEachRemaining(name -> {
      if (!known.contains(name)) {
        unknown.add(name);
      }
    });
    if (!unknown.isEmpty()) {
      String field = missingField(missing);
      throw new BundleException(file + ": unknown field '" + unknown.get(0) + "' in " + parentOf(field) + " ("
          + location(missing.getLocation()) + "), and field '" + field + "' is missing: a misspelling?"
          + " The fields there are: " + String.join(", ", known), missing);
    }
  }

  /** The dotted name of the field a "missing creator property" error is about, or null for other errors. */
  private static String missingField(MismatchedInputException e) {
    Matcher missing = MISSING_PROPERTY.matcher(firstLine(e.getOriginalMessage()));
    if (!missing.find()) {
      return null;
    }
    String path = path(e);
    String name = missing.group(1);
    if (path.isEmpty() || path.equals(name)) {
      return name;
    }
    return path.endsWith("." + name) ? path : path + "." + name;
  }

  private static String describe(Path file, JsonProcessingException e) {
    String where = " (" + location(e.getLocation()) + ")";
    if (!(e instanceof JsonMappingException mapping)) {
      return file + " is not valid JSON" + where + ": " + firstLine(e.getOriginalMessage());
    }
    String path = path(mapping);
    if (e instanceof UnrecognizedPropertyException unknown) {
      String known = unknown.getKnownPropertyIds().stream().map(Object::toString).sorted()
          .collect(Collectors.joining(", "));
      return file + ": unknown field '" + unknown.getPropertyName() + "' in " + parentOf(path) + where
          + "; the fields there are: " + known;
    }
    String field = e instanceof MismatchedInputException mismatch ? missingField(mismatch) : null;
    if (field != null) {
      return file + ": field '" + field + "' is missing" + where
          + "; every field of the bundle format must be present (write null where it allows none)";
    }
    Throwable cause = rootCause(e);
    if (cause instanceof IllegalArgumentException) {
      String at = path.isEmpty() ? "" : " at " + path;
      return file + ": " + cause.getMessage() + " (" + (at.isEmpty() ? "" : at.substring(1) + ", ")
          + location(e.getLocation()) + ")";
    }
    String detail = firstLine(e.getOriginalMessage());
    int hint = detail.indexOf(" (but might if");
    if (hint >= 0) {
      detail = detail.substring(0, hint); // Jackson's advice concerns its own configuration, not the manifest
    }
    return file + ": field '" + path + "' has the wrong type or value" + where + ": " + detail;
  }

  /** The field path as the manifest spells it, e.g. {@code graphs.dit_chunk.inputs[0].shape}. */
  private static String path(JsonMappingException e) {
    StringBuilder text = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (text.length() > 0) {
          text.append('.');
        }
        text.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        text.append('[').append(ref.getIndex()).append(']');
      }
    }
    return text.toString();
  }

  private static String parentOf(String path) {
    int dot = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return dot < 0 ? "the top level" : path.substring(0, dot);
  }

  private static String location(JsonLocation location) {
    if (location == null || location.getLineNr() < 0) {
      return "position unknown";
    }
    return "line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
