package dev.reflex.adapters.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code infra/template.yaml} creates the pass document from its file, hands its name to the
 * functions, and lets the two that send passes send it. (CloudFormation's short tags such as
 * {@code !Ref} are read as their plain values.)
 */
class PassDocumentDeploymentTest {

  private static final Path INFRA = LocalRunCommand.REPOSITORY.resolve("infra");

  private static JsonNode template() throws IOException {
    return new YAMLMapper().readTree(INFRA.resolve("template.yaml").toFile());
  }

  @Test
  void template_createsTheCommandDocumentFromTheFileUnderInfraSsm() throws IOException {
    JsonNode document = template().at("/Resources/AnsiblePassDocument");

    assertThat(document.path("Type").asText()).isEqualTo("AWS::SSM::Document");
    assertThat(document.at("/Properties/DocumentType").asText()).isEqualTo("Command");
    assertThat(document.at("/Properties/DocumentFormat").asText()).isEqualTo("YAML");
    JsonNode include = document.at("/Properties/Content/Fn::Transform");
    assertThat(include.path("Name").asText()).isEqualTo("AWS::Include");
    assertThat(INFRA.resolve(include.at("/Parameters/Location").asText()).normalize())
        .isEqualTo(LocalRunCommand.DOCUMENT).exists();
  }

  @Test
  void template_handsTheDocumentsNameToTheFunctionsAndLetsExecuteAndCheckExecutionSendIt() throws IOException {
    JsonNode template = template();

    assertThat(template.at("/Globals/Function/Environment/Variables/REFLEX_SSM_DOCUMENT_PASS").asText())
        .isEqualTo("AnsiblePassDocument");
    JsonNode send = template.at("/Resources/SsmCommandsPolicy/Properties/PolicyDocument/Statement/0");
    assertThat(send.path("Action").asText()).isEqualTo("ssm:SendCommand");
    assertThat(send.path("Resource").toString()).contains("document/${AnsiblePassDocument}");
    for (String function : new String[] {"ExecuteFunction", "CheckExecutionFunction"}) {
      assertThat(template.at("/Resources/" + function + "/Properties/Policies").toString()).as(function)
          .contains("SsmCommandsPolicy");
    }
  }
}
