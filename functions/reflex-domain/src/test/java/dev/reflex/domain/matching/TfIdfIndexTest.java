package dev.reflex.domain.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TfIdfIndexTest {

  @Test
  void tokenize_keepsIdentifiersAndTheirParts() {
    assertThat(TfIdfIndex.tokenize("Service=Payment-API p99"))
        .containsExactly("service", "payment-api", "payment", "api", "p99");
  }

  @Test
  void similarity_identicalText_isOne_disjointText_isZero() {
    Map<String, String> docs = new LinkedHashMap<>();
    docs.put("a", "high latency payment api india");
    docs.put("b", "disk full ledger");
    TfIdfIndex index = new TfIdfIndex(docs);

    assertThat(index.similarity("high latency payment api india", "a")).isCloseTo(1.0, within(1e-9));
    assertThat(index.similarity("high latency payment api india", "b")).isZero();
    assertThat(index.similarity("anything", "missing")).isZero();
  }

  @Test
  void similarity_rareSharedTermsWeighMore() {
    Map<String, String> docs = new LinkedHashMap<>();
    docs.put("a", "latency india common");
    docs.put("b", "latency europe common");
    docs.put("c", "latency brazil common");
    TfIdfIndex index = new TfIdfIndex(docs);

    Map<String, Double> scores = index.scores("latency india");
    assertThat(scores.get("a")).isGreaterThan(scores.get("b"));
    assertThat(scores.get("b")).isEqualTo(scores.get("c"));
  }
}
