package dev.reflex.adapters.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.port.Consultant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FallbackConsultantTest {

  private final TestIncidents.Offline offline = new TestIncidents.Offline();
  private final Consultant.Request request = new Consultant.Request(null, null, List.of());

  private static MeteredConsultant failing(ConsultationFailedException failure) {
    return new MeteredConsultant() {
      @Override
      public String name() {
        return "model-x";
      }

      @Override
      public Consultation consultWithUsage(Request request) {
        throw failure;
      }
    };
  }

  @Test
  void consult_whenPrimaryFails_usesFallbackAndSaysWhy() {
    LlmUsage spent = new LlmUsage("model-x", 100, 10, 0, 0, 1200, "tool_use", 0.0005);
    FallbackConsultant consultant = new FallbackConsultant(failing(new ConsultationFailedException("bedrock",
        ConsultationFailedException.Reason.ANSWER_INVALID, List.of("remediation_steps[0].module: required"), spent)),
        offline);

    Consultation result = consultant.consultWithUsage(request);

    assertThat(result.remediation().consultant()).isEqualTo("offline_catalog (fallback: bedrock answer invalid)");
    assertThat(result.remediation().playbookName()).isEqualTo("restart-service");
    assertThat(result.usage()).isEqualTo(spent);
    assertThat(consultant.name()).isEqualTo("model-x");
  }

  @Test
  void consult_whenPrimaryHasADefect_stillFallsBack() {
    Consultant broken = new Consultant() {
      @Override
      public String name() {
        return "model-y";
      }

      @Override
      public Remediation consult(Request request) {
        throw new IllegalStateException("bug");
      }
    };

    Remediation result = new FallbackConsultant(broken, offline).consult(request);

    assertThat(result.consultant()).isEqualTo("offline_catalog (fallback: model-y failed: IllegalStateException)");
  }

  @Test
  void consult_whenPrimarySucceeds_doesNotCallFallback() {
    Remediation drafted = offline.consult(request);
    offline.calls = 0;
    Consultant primary = new Consultant() {
      @Override
      public String name() {
        return "model-z";
      }

      @Override
      public Remediation consult(Request request) {
        return drafted;
      }
    };

    Consultation result = new FallbackConsultant(primary, offline).consultWithUsage(request);

    assertThat(result.remediation()).isSameAs(drafted);
    assertThat(result.usage()).isNull();
    assertThat(offline.calls).isZero();
  }

  @Test
  void failure_reasonIsShort_andCarriesNoDetailsBeyondTheAnonymisedOnes() {
    ConsultationFailedException failure = new ConsultationFailedException("openai_compatible",
        ConsultationFailedException.Reason.TIMED_OUT, List.of("HttpTimeoutException after 2 attempt(s)"), null);

    assertThat(failure.reason()).isEqualTo("openai_compatible timed out");
    assertThat(failure.getMessage()).isEqualTo("openai_compatible timed out: HttpTimeoutException after 2 attempt(s)");
  }
}
