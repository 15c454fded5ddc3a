package dev.reflex.domain.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.detection.DetectionRules;
import dev.reflex.domain.matching.PlaybookMatcher;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.MatchResult;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.PlaybookCatalog;
import dev.reflex.domain.port.PlaybookStore;
import dev.reflex.testkit.Alerts;
import dev.reflex.testkit.Detection;
import dev.reflex.testkit.Playbooks;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** With the catalog at hand, a direct match never loads every learned playbook of the type. */
class MatchWithCatalogTest {

  private final World world = new World();
  private final AtomicInteger typeLookups = new AtomicInteger();

  private MatchPlaybook matchWithCatalog(List<Playbook> shipped) {
    PlaybookStore counting = new PlaybookStore() {
      @Override
      public List<Playbook> findByAnomalyType(String anomalyType) {
        typeLookups.incrementAndGet();
        return world.playbooks.findByAnomalyType(anomalyType);
      }

      @Override
      public List<Playbook> findBySignature(Signature signature) {
        return world.playbooks.findBySignature(signature);
      }

      @Override
      public java.util.Optional<Playbook> find(String id) {
        return world.playbooks.find(id);
      }

      @Override
      public List<Playbook> list() {
        return world.playbooks.list();
      }

      @Override
      public Playbook create(Playbook playbook) {
        return world.playbooks.create(playbook);
      }

      @Override
      public Playbook update(Playbook playbook) {
        return world.playbooks.update(playbook);
      }
    };
    PlaybookCatalog catalog = new PlaybookCatalog() {
      @Override
      public List<Playbook> playbooks() {
        return shipped;
      }

      @Override
      public DetectionRules detectionRules() {
        return Detection.rules();
      }
    };
    return new MatchPlaybook(world.incidents, counting, new PlaybookMatcher(0.8), catalog, world.clock);
  }

  @Test
  void match_whenSignatureMatchReachesThreshold_skipsLoadingLearnedPlaybooksOfTheType() {
    world.playbooks.create(Playbooks.learned("learned-high-latency--payment-api--india",
        new Signature("high_latency", "payment-api", "india"), 0.8));
    Incident incident = world.detected(Alerts.highLatency());

    MatchResult result = matchWithCatalog(List.of()).match(incident.id());

    assertThat(result.matched()).isTrue();
    assertThat(result.matchedBy()).isEqualTo(MatchResult.MatchedBy.SIGNATURE);
    assertThat(typeLookups).hasValue(0);
  }

  @Test
  void match_whenNoDirectMatch_fallsBackToSimilarityOverTheType() {
    world.playbooks.create(Playbooks.learned("learned-high-latency--payment-api--eu",
        new Signature("high_latency", "payment-api", "eu"), 0.8));
    Incident incident = world.detected(Alerts.highLatency());

    matchWithCatalog(List.of()).match(incident.id());

    assertThat(typeLookups).hasValue(1);
  }

  @Test
  void match_whenShippedPlaybookForTheTypeReachesThreshold_takesItWithItsStoredStats() {
    Playbook shipped = Playbooks.catalog("latency-fix", "high_latency", 0.9);
    world.playbooks.create(shipped);
    Incident incident = world.detected(Alerts.highLatency());

    MatchResult result = matchWithCatalog(List.of(shipped)).match(incident.id());

    assertThat(result.matched()).isTrue();
    assertThat(result.playbookId()).isEqualTo("latency-fix");
    assertThat(result.matchedBy()).isEqualTo(MatchResult.MatchedBy.ANOMALY_TYPE);
    assertThat(typeLookups).hasValue(0);
  }
}
