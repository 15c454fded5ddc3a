package dev.reflex.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.TestData;
import dev.reflex.domain.error.InvalidParameterException;
import dev.reflex.domain.model.Alert;
import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterBinderTest {

  private static final String NAME = "^[a-z0-9][a-z0-9-]{0,62}$";
  private final ParameterBinder binder = new ParameterBinder();

  private static Playbook playbook(Parameter... parameters) {
    return new Playbook("p-test", "1.0.0", "t", PlaybookSource.CATALOG, PlaybookStatus.ACTIVE, List.of("x"),
        List.of(), null, "", "", List.of(parameters), List.of(TestData.restart()), null, PlaybookStats.initial(0.8),
        List.of(), "", null, null, 0);
  }

  private static Alert alert(Map<String, String> labels) {
    return TestData.alert("HighLatency", labels, Map.of());
  }

  @Test
  void bind_takesLabelElseDefault_inDeclarationOrder() {
    Playbook playbook = playbook(
        new Parameter("service", "", "service", NAME, null, true),
        new Parameter("namespace", "", "namespace", NAME, "default", false),
        new Parameter("pool_size", "", null, "^[1-9][0-9]{0,3}$", "40", false));

    Map<String, String> values = binder.bind(playbook, alert(Map.of("service", "payment-api")));

    assertThat(values).containsExactly(Map.entry("service", "payment-api"), Map.entry("namespace", "default"),
        Map.entry("pool_size", "40"));
  }

  @Test
  void bind_labelOverridesDefault() {
    Playbook playbook = playbook(new Parameter("namespace", "", "namespace", NAME, "default", false));
    assertThat(binder.bind(playbook, alert(Map.of("namespace", "payments")))).containsEntry("namespace", "payments");
  }

  @Test
  void bind_requiredAndMissing_isRefusedNamingTheParameter() {
    Playbook playbook = playbook(new Parameter("service", "", "service", NAME, null, true));
    assertThatThrownBy(() -> binder.bind(playbook, alert(Map.of())))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("service")
        .extracting(e -> ((InvalidParameterException) e).parameter()).isEqualTo("service");
  }

  @Test
  void bind_optionalWithoutValue_isLeftOut() {
    Playbook playbook = playbook(new Parameter("namespace", "", "namespace", NAME, null, false));
    assertThat(binder.bind(playbook, alert(Map.of()))).isEmpty();
  }

  @Test
  void bind_hostileValue_isRefusedWithoutEchoingIt() {
    Playbook playbook = playbook(new Parameter("service", "", "service", NAME, null, true));
    String hostile = "api; rm -rf / #SECRET";

    assertThatThrownBy(() -> binder.bind(playbook, alert(Map.of("service", hostile))))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("service")
        .hasMessageContaining(NAME)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("rm -rf").doesNotContain("SECRET"));
  }

  @Test
  void bind_patternMustMatchInFull_notJustAPrefix() {
    Playbook playbook = playbook(new Parameter("service", "", "service", "[a-z]+", null, true));
    assertThat(binder.bind(playbook, alert(Map.of("service", "api")))).containsEntry("service", "api");
    assertThatThrownBy(() -> binder.bind(playbook, alert(Map.of("service", "api\nrm"))))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void bind_invalidDefault_isAlsoRefused() {
    Playbook playbook = playbook(new Parameter("size", "", null, "^[0-9]+$", "forty", false));
    assertThatThrownBy(() -> binder.bind(playbook, alert(Map.of()))).isInstanceOf(InvalidParameterException.class);
  }
}
