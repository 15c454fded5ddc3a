package dev.reflex.adapters.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.consult.CostReportingConsultant;
import dev.reflex.domain.consult.CostReportingConsultant.Drafted;
import dev.reflex.domain.model.LlmCall;
import dev.reflex.domain.port.Consultant;
import dev.reflex.testkit.FixedSecretsProvider;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConsultantFactoryTest {

  private final TestIncidents.Offline offline = new TestIncidents.Offline();
  private final FixedSecretsProvider secrets = new FixedSecretsProvider(Map.of());

  @Test
  void fromConfig_withoutProvider_isTheOfflineConsultant() {
    assertThat(ConsultantFactory.fromConfig(Map.of(), secrets, offline)).isSameAs(offline);
    assertThat(ConsultantFactory.fromConfig(Map.of("reflex.consultant.provider", "offline"), secrets, offline))
        .isSameAs(offline);
  }

  @Test
  void fromConfig_bedrock_reportsUsageAndFallsBack() {
    Consultant consultant = ConsultantFactory.fromConfig(Map.of("reflex.consultant.provider", "bedrock",
        "reflex.llm.bedrock.region", "eu-west-1"), secrets, offline);

    assertThat(consultant).isInstanceOf(UsageReportingConsultant.class);
    assertThat(consultant.name()).isEqualTo(BedrockConfig.DEFAULT_MODEL_ID);
  }

  @Test
  void fromConfig_bedrockWithoutRegion_isRefusedNamingTheKey() {
    assertThatThrownBy(() -> ConsultantFactory.fromConfig(Map.of("reflex.consultant.provider", "bedrock"), secrets,
        offline)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reflex.llm.bedrock.region");
  }

  @Test
  void fromConfig_openAiCompatible_needsAModel() {
    assertThatThrownBy(() -> ConsultantFactory.fromConfig(Map.of("reflex.consultant.provider", "openai-compatible"),
        secrets, offline)).hasMessageContaining("reflex.llm.openai.model");
    Consultant consultant = ConsultantFactory.fromConfig(Map.of("reflex.consultant.provider", "openai-compatible",
        "reflex.llm.openai.model", "qwen2.5:14b-instruct"), secrets, offline);
    assertThat(consultant.name()).isEqualTo("qwen2.5:14b-instruct");
  }

  @Test
  void fromConfig_unknownProvider_isRefused() {
    assertThatThrownBy(() -> ConsultantFactory.fromConfig(Map.of("reflex.consultant.provider", "gpt"), secrets,
        offline)).hasMessageContaining("offline, bedrock or openai-compatible");
  }

  @Test
  void bedrockConfig_readsEveryKey() {
    BedrockConfig config = ConsultantFactory.bedrockConfig(Map.ofEntries(
        Map.entry("reflex.llm.bedrock.model-id", "anthropic.claude-x"),
        Map.entry("reflex.llm.bedrock.region", "us-east-1"),
        Map.entry("reflex.llm.max-tokens", "2048"),
        Map.entry("reflex.llm.temperature", "0.1"),
        Map.entry("reflex.llm.api-call-timeout", "45s"),
        Map.entry("reflex.llm.max-attempts", "2"),
        Map.entry("reflex.llm.price.input-per-mtok", "1"),
        Map.entry("reflex.llm.price.output-per-mtok", "5"),
        Map.entry("reflex.llm.privacy.extra-patterns", "cust-[0-9]+\nticket=(?<value>\\w+)")));

    assertThat(config.modelId()).isEqualTo("anthropic.claude-x");
    assertThat(config.maxTokens()).isEqualTo(2048);
    assertThat(config.temperature()).isEqualTo(0.1);
    assertThat(config.apiCallTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(config.maxAttempts()).isEqualTo(2);
    assertThat(config.prices()).isEqualTo(new Prices(1, 5, 0.30, 3.75));
    assertThat(config.extraPrivacyPatterns()).hasSize(2);
  }

  @Test
  void config_withBadValues_isRefusedNamingTheKey() {
    assertThatThrownBy(() -> ConsultantFactory.bedrockConfig(Map.of("reflex.llm.bedrock.region", "x",
        "reflex.llm.max-tokens", "many"))).hasMessageContaining("reflex.llm.max-tokens");
    assertThatThrownBy(() -> ConsultantFactory.bedrockConfig(Map.of("reflex.llm.bedrock.region", "x",
        "reflex.llm.api-call-timeout", "soon"))).hasMessageContaining("reflex.llm.api-call-timeout");
    assertThatThrownBy(() -> ConsultantFactory.bedrockConfig(Map.of("reflex.llm.bedrock.region", "x",
        "reflex.llm.privacy.extra-patterns", "secret-([a-z"))).hasMessageContaining("index")
        .hasMessageNotContaining("secret-");
  }

  @Test
  void configFrom_prefersSystemPropertiesThenEnvironment_andRegionFromAws() {
    Properties properties = new Properties();
    properties.setProperty("reflex.consultant.provider", "bedrock");
    Map<String, String> env = Map.of("REFLEX_CONSULTANT_PROVIDER", "openai-compatible",
        "REFLEX_LLM_OPENAI_BASE_URL", "http://vllm:8000", "AWS_REGION", "eu-central-1");

    Map<String, String> config = ConsultantFactory.configFrom(properties, env);

    assertThat(config).containsEntry("reflex.consultant.provider", "bedrock")
        .containsEntry("reflex.llm.openai.base-url", "http://vllm:8000")
        .containsEntry("reflex.llm.bedrock.region", "eu-central-1");
    assertThat(ConsultantFactory.envName("reflex.llm.price.cache-read-per-mtok"))
        .isEqualTo("REFLEX_LLM_PRICE_CACHE_READ_PER_MTOK");
  }

  @Test
  void usageReporting_mapsUsageAndSplitsTheFallbackReason() {
    LlmUsage usage = new LlmUsage("model-x", 100, 20, 5, 1, 700, "tool_use", 0.01, 2);
    MeteredConsultant fellBack = new MeteredConsultant() {
      @Override public String name() { return "model-x"; }
      @Override public Consultation consultWithUsage(Request request) {
        var offlineDraft = offline.consult(request);
        return new Consultation(new dev.reflex.domain.model.Remediation(
            "offline_catalog (fallback: bedrock answer invalid)", offlineDraft.diagnosis(), "", "p", null,
            offlineDraft.steps(), null, ""), usage);
      }
    };
    CostReportingConsultant reporting = new UsageReportingConsultant(fellBack);

    Drafted drafted = reporting.draft(TestIncidents.load(PromptInjectionEndToEndTest.caseFile("openai-good-answer/incident.json")));

    assertThat(drafted.consultant()).isEqualTo("offline_catalog");
    assertThat(drafted.fallbackReason()).isEqualTo("bedrock answer invalid");
    assertThat(drafted.call()).isEqualTo(new LlmCall("model-x", 100, 20, 5, 1, 700, "tool_use", 0.01, 2));
  }

  @Test
  void usageReporting_withoutFallback_keepsTheModelAsConsultant() {
    MeteredConsultant model = new MeteredConsultant() {
      @Override public String name() { return "model-x"; }
      @Override public Consultation consultWithUsage(Request request) {
        var draft = offline.consult(request);
        return new Consultation(new dev.reflex.domain.model.Remediation("model-x", draft.diagnosis(), "", "p",
            null, draft.steps(), null, ""), null);
      }
    };

    Drafted drafted = new UsageReportingConsultant(model).draft(TestIncidents.load(
        PromptInjectionEndToEndTest.caseFile("openai-good-answer/incident.json")));

    assertThat(drafted.consultant()).isEqualTo("model-x");
    assertThat(drafted.fallbackReason()).isNull();
    assertThat(drafted.call()).isNull();
  }
}
