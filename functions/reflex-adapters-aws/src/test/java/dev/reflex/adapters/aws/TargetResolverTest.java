package dev.reflex.adapters.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetResolverTest {

  private static final String MAPPING = """
      targets:
        - when: {service: payment-api}
          tags: {Service: payment-api}
        - when: {service: checkout, environment: prod}
          instance_ids: [i-0123456789abcdef0, i-0fedcba9876543210]
        - when: {service: checkout}
          tags: {Service: checkout, Tier: [web, api]}
      """;

  private final TargetResolver resolver = TargetResolver.parse(MAPPING, "targets.yml");

  @Test
  void resolve_whenServiceLabelMatches_givesTagTarget() {
    assertThat(resolver.resolve(Map.of("service", "payment-api", "severity", "critical")))
        .isEqualTo(new Targets.Tags(Map.of("Service", List.of("payment-api"))));
  }

  @Test
  void resolve_whenNoRuleMatches_throwsWithoutEchoingValues() {
    assertThatThrownBy(() -> resolver.resolve(Map.of("service", "billing")))
        .isInstanceOf(TargetNotFoundException.class)
        .hasMessageContaining("[environment, service]")
        .hasMessageNotContaining("billing");
  }

  @Test
  void resolve_whenEveryWhenLabelMatches_firstRuleWins() {
    Targets targets = resolver.resolve(Map.of("service", "checkout", "environment", "prod"));

    assertThat(targets).isEqualTo(new Targets.InstanceIds(List.of("i-0123456789abcdef0", "i-0fedcba9876543210")));
    assertThat(targets.describe()).isEqualTo("instances i-0123456789abcdef0,i-0fedcba9876543210");
  }

  @Test
  void resolve_whenOnlySomeWhenLabelsMatch_fallsThroughToNextRule() {
    Targets targets = resolver.resolve(Map.of("service", "checkout", "environment", "staging"));

    assertThat(targets.describe()).isEqualTo("tag:Service=checkout tag:Tier=web,api");
  }

  @Test
  void resolve_whenLabelValueIsHostile_matchesNothing() {
    assertThatThrownBy(() -> resolver.resolve(Map.of("service", "payment-api; rm -rf /")))
        .isInstanceOf(TargetNotFoundException.class);
    assertThatThrownBy(() -> resolver.resolve(Map.of("service", "payment-api\n")))
        .isInstanceOf(TargetNotFoundException.class);
  }

  @Test
  void resolve_whenLabelsAreMissing_matchesNothing() {
    assertThatThrownBy(() -> resolver.resolve(null)).isInstanceOf(TargetNotFoundException.class);
  }

  @Test
  void load_whenFileIsValid_readsRules(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("targets.yml"), MAPPING);

    assertThat(TargetResolver.load(file).rules()).hasSize(3);
  }

  @Test
  void parse_whenFiftyInstanceIds_accepts() {
    String ids = String.join(", ", IntStream.range(0, 50).mapToObj(i -> "i-%017x".formatted(i)).toList());

    TargetResolver ok = TargetResolver.parse("targets:\n  - when: {service: a}\n    instance_ids: [" + ids + "]\n", "t");

    assertThat(((Targets.InstanceIds) ok.resolve(Map.of("service", "a"))).ids()).hasSize(50);
  }

  @Test
  void parse_whenFiftyOneInstanceIds_refuses() {
    String ids = String.join(", ", IntStream.range(0, 51).mapToObj(i -> "i-%017x".formatted(i)).toList());

    assertThatThrownBy(() -> TargetResolver.parse(
        "targets:\n  - when: {service: a}\n    instance_ids: [" + ids + "]\n", "targets.yml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("targets.yml: targets rule 1: at most 50 instance ids");
  }

  @Test
  void parse_whenInstanceIdIsMalformed_refuses() {
    assertThatThrownBy(() -> TargetResolver.parse(
        "targets:\n  - when: {service: a}\n    instance_ids: ['i-123; reboot']\n", "targets.yml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an instance id");
  }

  @Test
  void parse_whenTagValueIsWildcard_refuses() {
    assertThatThrownBy(() -> TargetResolver.parse(
        "targets:\n  - when: {service: a}\n    tags: {Service: '*'}\n", "targets.yml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid value for tag Service");
  }

  @Test
  void parse_whenRuleHasNoWhen_refuses() {
    assertThatThrownBy(() -> TargetResolver.parse("targets:\n  - tags: {Service: a}\n", "targets.yml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'when' must map label names to values");
  }

  @Test
  void parse_whenRuleHasBothTagsAndIds_refuses() {
    assertThatThrownBy(() -> TargetResolver.parse("""
        targets:
          - when: {service: a}
            tags: {Service: a}
            instance_ids: [i-0123456789abcdef0]
        """, "targets.yml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly one of 'tags' or 'instance_ids'");
  }

  @Test
  void parse_whenKeyIsUnknown_refuses() {
    assertThatThrownBy(() -> TargetResolver.parse(
        "targets:\n  - when: {service: a}\n    tags: {Service: a}\n    hosts: all\n", "targets.yml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown key 'hosts'");
  }

  @Test
  void parse_whenNotAList_refuses() {
    assertThatThrownBy(() -> TargetResolver.parse("service: payment-api\n", "targets.yml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a 'targets' list");
  }
}
