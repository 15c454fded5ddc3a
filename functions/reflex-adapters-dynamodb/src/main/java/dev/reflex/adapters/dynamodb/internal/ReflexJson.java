package dev.reflex.adapters.dynamodb.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/**
 * The JSON form of the domain records stored in {@code doc} attributes. Records are written
 * through their components and read back through their canonical constructors; instants as ISO-8601
 * text with nanoseconds; enums by name; {@code StepAction} arguments as plain JSON values.
 */
public final class ReflexJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
      // newer writers may add fields; an older reader must still load the record
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      // a measurement may be NaN or infinite; keep it instead of failing the whole incident
      .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  private ReflexJson() {}

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  public static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      // the message names the type and location only: documents may hold untrusted alert text
      throw new IllegalStateException(
          "stored " + type.getSimpleName() + " document is unreadable at " + e.getLocation(), e);
    }
  }
}
