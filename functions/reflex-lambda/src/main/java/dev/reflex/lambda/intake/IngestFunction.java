package dev.reflex.lambda.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.domain.error.InvalidInputException;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * "ingest": the Alertmanager webhook receiver. Invoked behind API Gateway (an HTTP API event
 * whose body is the webhook) or directly with the webhook body as the event.
 */
@Singleton
public class IngestFunction {

  static final int MAX_BODY_BYTES = 1024 * 1024;

  private final AlertIntake intake;
  private final ObjectMapper json;

  @Inject
  public IngestFunction(AlertIntake intake, ObjectMapper json) {
    this.intake = intake;
    this.json = json;
  }

  @Funq("ingest")
  public JsonNode ingest(JsonNode event) {
    boolean viaApiGateway = event != null && event.has("requestContext") && event.has("body");
    try {
      byte[] body = viaApiGateway ? apiGatewayBody(event) : json.writeValueAsBytes(event);
      AlertIntake.Result result = intake.accept(body);
      JsonNode response = json.valueToTree(java.util.Map.of("incidents", result.incidents()));
      return viaApiGateway ? httpResponse(result.created() ? 202 : 200, response) : response;
    } catch (InvalidInputException e) {
      if (!viaApiGateway) {
        throw e;
      }
      ObjectNode error = json.createObjectNode().put("error", e.getMessage()).put("field", e.field());
      return httpResponse("body".equals(e.field()) && e.getMessage().contains("exceeds") ? 413 : 400, error);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidInputException("body", "the event could not be read as JSON");
    }
  }

  private static byte[] apiGatewayBody(JsonNode event) {
    JsonNode body = event.get("body");
    if (!body.isTextual()) {
      throw new InvalidInputException("body", "body must be a string");
    }
    byte[] bytes;
    try {
      bytes = event.path("isBase64Encoded").asBoolean(false)
          ? Base64.getDecoder().decode(body.asText())
          : body.asText().getBytes(StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("body", "body is marked base64 but is not valid base64");
    }
    if (bytes.length > MAX_BODY_BYTES) {
      throw new InvalidInputException("body", "body exceeds " + MAX_BODY_BYTES + " bytes");
    }
    return bytes;
  }

  private JsonNode httpResponse(int status, JsonNode body) {
    ObjectNode response = json.createObjectNode();
    response.put("statusCode", status);
    response.putObject("headers").put("Content-Type", "application/json; charset=utf-8");
    response.put("body", body.toString());
    return response;
  }
}
