package dev.reflex.lambda.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the Lambda functions decide through the policy engine: by the configured tables. */
class GovernanceWiringTest {

  @Test
  void governance_withAllThreeTables_isOnWithThoseTables() {
    assertThat(ReflexBeans.governance(true, Optional.of("s-counters"), Optional.of("s-feedback"),
        Optional.of("s-outcomes")))
        .contains(new ReflexBeans.GovernanceTables("s-counters", "s-feedback", "s-outcomes"));
  }

  @Test
  void governance_withoutTables_isOff() {
    assertThat(ReflexBeans.governance(true, Optional.empty(), Optional.empty(), Optional.empty())).isEmpty();
  }

  @Test
  void governance_whenDisabled_isOffEvenWithTables() {
    assertThat(ReflexBeans.governance(false, Optional.of("s-counters"), Optional.of("s-feedback"),
        Optional.of("s-outcomes"))).isEmpty();
  }

  @Test
  void governance_withOnlySomeTables_failsNamingTheMissingProperty() {
    assertThatThrownBy(() -> ReflexBeans.governance(true, Optional.of("s-counters"), Optional.empty(),
        Optional.of("s-outcomes")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("reflex.feedback.table");
  }
}
