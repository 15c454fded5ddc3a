package dev.reflex.lambda.support;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Invokes the exported function the way the Lambda service does in a test: an event POSTed to
 * Quarkus' mock event server ({@code /_lambda_} on {@code quarkus.lambda.mock-event-server.test-port})
 * is handed to the runtime's poll loop; the answer is the function's output (200) or the
 * runtime's error document (500: {@code errorType}, {@code errorMessage}), which is what Step
 * Functions matches its {@code Retry} and {@code Catch} against.
 */
public final class MockLambda {

  private static final ObjectMapper JSON = new ObjectMapper();

  private MockLambda() {}

  /** The function's output; fails the test when the function raised an error. */
  public static JsonNode invoke(Object event) {
    Response response = post(event);
    if (response.statusCode() != 200) {
      throw new AssertionError("the function failed: " + response.statusCode() + " " + response.asString());
    }
    return read(response);
  }

  /** The runtime's error document; fails the test when the function answered normally. */
  public static FunctionError invokeExpectingError(Object event) {
    Response response = post(event);
    if (response.statusCode() != 500) {
      throw new AssertionError("expected a function error, got " + response.statusCode() + " " + response.asString());
    }
    JsonNode error = read(response);
    return new FunctionError(error.path("errorType").asText(null), error.path("errorMessage").asText(null));
  }

  /**
   * The runtime's error document.
   *
   * @param type the {@code errorType}: the class name of what left the handler
   * @param message the {@code errorMessage}
   */
  public record FunctionError(String type, String message) {

    /** What Funqy wraps every exception a {@code @Funq} method throws in. */
    public static final String FUNQY_WRAPPER = "io.quarkus.funqy.runtime.ApplicationException";

    /**
     * The class name of the exception the function threw. In test mode the runtime's poll loop
     * reports Funqy's wrapper, whose message is the exception's {@code toString()}; on AWS
     * {@code ReflexStreamHandler} unwraps it, so this is the {@code Error} Step Functions sees.
     */
    public String thrown() {
      if (!FUNQY_WRAPPER.equals(type) || message == null) {
        return type;
      }
      int colon = message.indexOf(':');
      return colon < 0 ? message : message.substring(0, colon);
    }
  }

  /** A file under the repository's {@code samples/} folder, e.g. {@code alertmanager/seed-day1-payment-api-latency.json}. */
  public static byte[] sample(String path) {
    try {
      return Files.readAllBytes(Path.of("../../samples").resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON tree of a response body that is itself a JSON string (API Gateway's {@code body}). */
  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectMapper json() {
    return JSON;
  }

  private static Response post(Object event) {
    int port = ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
    var request = given().baseUri("http://localhost").port(port).contentType(ContentType.JSON);
    request = event instanceof byte[] bytes ? request.body(bytes) : request.body(writeJson(event));
    return request.when().post("/_lambda_");
  }

  private static byte[] writeJson(Object event) {
    try {
      return JSON.writeValueAsBytes(event);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(Response response) {
    return parse(response.asString());
  }
}
