package dev.reflex.adapters.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reflex.adapters.llm.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RemediationSchemaTest {

  private final RemediationSchema schema = RemediationSchema.load();

  static ObjectNode goodAnswer() {
    try {
      Path file = Path.of(RemediationSchemaTest.class.getClassLoader()
          .getResource("cases/bedrock-good-answer/answer.json").toURI());
      JsonNode body = Json.parse(Files.readString(file));
      return (ObjectNode) body.path("output").path("message").path("content").get(1).path("toolUse").path("input");
    } catch (IOException | java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void validate_whenAnswerIsGood_returnsNoErrors() {
    assertThat(schema.validate(goodAnswer())).isEmpty();
  }

  @Test
  void validate_whenFieldsAreMissing_namesEachPath() {
    ObjectNode answer = goodAnswer();
    ((ObjectNode) answer.path("remediation_steps").get(2)).remove("module");
    answer.remove("verification");

    assertThat(schema.validate(answer))
        .contains("remediation_steps[2].module: required", "verification: required");
  }

  @Test
  void validate_whenTypesAreWrong_saysWhatWasExpected() {
    ObjectNode answer = goodAnswer();
    ((ObjectNode) answer.path("remediation_steps").get(0)).put("is_destructive", "no");
    answer.put("requires_approval", 1);

    assertThat(schema.validate(answer)).contains("remediation_steps[0].is_destructive: expected boolean, got string",
        "requires_approval: expected boolean, got number");
  }

  @Test
  void validate_whenMoreThanFifteenSteps_refuses() {
    ObjectNode answer = goodAnswer();
    ArrayNode steps = (ArrayNode) answer.path("remediation_steps");
    while (steps.size() <= RemediationSchema.MAX_STEPS) {
      steps.add(steps.get(0).deepCopy());
    }

    assertThat(schema.validate(answer)).contains("remediation_steps: at most 15 items, got 16");
  }

  @Test
  void validate_whenStringsAreTooLongOrNamesBad_refuses() {
    ObjectNode answer = goodAnswer();
    answer.put("diagnosis", "x".repeat(2001));
    answer.put("playbook_name", "Restart Everything!");
    ((ObjectNode) answer.path("parameters").get(0)).put("name", "Service");
    ((ObjectNode) answer.path("remediation_steps").get(0)).put("module", "shell");

    assertThat(schema.validate(answer)).contains("diagnosis: longer than 2000 characters",
        "playbook_name: must match ^[a-z0-9][a-z0-9-]{2,63}$",
        "parameters[0].name: must match ^[a-z_][a-z0-9_]{0,62}$",
        "remediation_steps[0].module: must match ^[a-z0-9_]+\\.[a-z0-9_]+\\.[a-z0-9_]+$");
  }

  @Test
  void validate_whenArgsUseUndeclaredParameter_refuses() {
    ObjectNode answer = goodAnswer();
    ((ObjectNode) answer.path("remediation_steps").get(1).path("args")).put("name", "{{ unit }}");

    assertThat(schema.validate(answer)).containsExactly("parameters: {{ unit }} is used in args but not declared");
  }

  @Test
  void validate_whenArgsUseJinjaExpressions_refuses() {
    ObjectNode answer = goodAnswer();
    ((ObjectNode) answer.path("verification").path("args")).put("url", "{{ lookup('pipe', 'id') }}");
    ((ObjectNode) answer.path("remediation_steps").get(0).path("args")).put("chdir", "{% if x %}/tmp{% endif %}");

    assertThat(schema.validate(answer)).containsExactlyInAnyOrder(
        "verification.args.url: only plain {{ name }} references to declared parameters are allowed (no filters,"
            + " lookups, expressions or statements)",
        "remediation_steps[0].args.chdir: only plain {{ name }} references to declared parameters are allowed (no"
            + " filters, lookups, expressions or statements)");
  }

  @Test
  void validate_whenParameterDeclaredTwiceOrUnknownProperty_refuses() {
    ObjectNode answer = goodAnswer();
    ((ArrayNode) answer.path("parameters")).add(answer.path("parameters").get(0).deepCopy());
    ((ObjectNode) answer.path("remediation_steps").get(0)).put("risk", "low");

    assertThat(schema.validate(answer)).containsExactlyInAnyOrder(
        "parameters[1].name: parameter service is declared twice", "remediation_steps[0].risk: unknown property");
  }

  @Test
  void validate_whenRollbackIsNullOrAnObject_accepts_butNotAString() {
    ObjectNode answer = goodAnswer();
    ((ObjectNode) answer.path("remediation_steps").get(0)).put("rollback", "restart it");

    assertThat(schema.validate(answer))
        .containsExactly("remediation_steps[0].rollback: expected object or null, got string");
  }

  @Test
  void validate_whenAnswerIsNotAnObject_saysSo() {
    assertThat(schema.validate(Json.parse("[1]"))).containsExactly("answer: expected object, got array");
  }

  @Test
  void json_isTheResourceAndACopy() {
    ObjectNode copy = schema.json();
    copy.put("type", "array");

    assertThat(schema.json().path("type").asText()).isEqualTo("object");
    assertThat(schema.json().path("properties").path("remediation_steps").path("maxItems").asInt()).isEqualTo(15);
  }
}
