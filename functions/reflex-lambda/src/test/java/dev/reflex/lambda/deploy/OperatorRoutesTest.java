package dev.reflex.lambda.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator function takes who acted from API Gateway's IAM authorizer, so each of its routes
 * must require IAM authorization: a route without it would hand the function unauthenticated
 * requests (answered 401, but open to anyone who finds the URL).
 */
class OperatorRoutesTest {

  private static final Path TEMPLATE = Path.of("../../infra/template.yaml");

  /** The lines of one resource under {@code Resources:}, up to the next resource. */
  private static List<String> resource(List<String> lines, String name) {
    int start = lines.indexOf("  " + name + ":");
    assertThat(start).as(name + " in the template").isPositive();
    List<String> out = new ArrayList<>();
    for (int i = start + 1; i < lines.size() && !lines.get(i).matches("^ {0,2}[A-Za-z#].*"); i++) {
      out.add(lines.get(i));
    }
    return out;
  }

  @Test
  void everyRouteOfTheOperatorFunction_requiresIamAuthorization() throws IOException {
    List<String> lines = Files.readAllLines(TEMPLATE);
    List<String> operator = resource(lines, "OperatorFunction");

    long routes = operator.stream().filter(line -> line.strip().equals("Type: HttpApi")).count();
    long iam = operator.stream().filter(line -> line.strip().equals("Authorizer: AWS_IAM")).count();

    assertThat(operator).contains("          QUARKUS_FUNQY_EXPORT: operator");
    assertThat(routes).as("the feedback, enable and audit routes").isEqualTo(3);
    assertThat(iam).as("routes with Authorizer: AWS_IAM").isEqualTo(routes);
    assertThat(String.join("\n", lines)).as("SAM needs the IAM authorizer enabled on the HTTP API")
        .contains("  HttpApi:\n    Auth:\n      EnableIamAuthorizer: true");
  }
}
