package dev.reflex.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.Feedback;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.policy.FeedbackScore;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Feedback on DynamoDB Local: by incident, by pattern, and each pattern's scores in one item. */
class DynamoDbFeedbackStoreIT {

  @RegisterExtension
  static LocalDynamoDbExtension dynamo = new LocalDynamoDbExtension();

  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final Signature SIGNATURE = Signature.of("high_latency", "payment-api", "india");

  private DynamoDbFeedbackStore feedback;
  private String table;

  @BeforeEach
  void table() {
    table = "it-feedback-" + TABLES.incrementAndGet();
    dynamo.client().createTable(DynamoDbFeedbackStore.definition(table));
    feedback = new DynamoDbFeedbackStore(dynamo.client(), table);
  }

  private static Feedback rated(String incidentId, int rating, String at, String playbookId) {
    return Feedback.of(incidentId, Feedback.Type.REMEDIATION, rating, true, null, true, "", "", "", "bob")
        .recorded(Instant.parse(at), SIGNATURE, playbookId);
  }

  @Test
  void append_isFoundByIncidentAndPattern() {
    Feedback first = Feedback.of("inc-1", Feedback.Type.REMEDIATION, 5, true, null, true, "fast", "restart", "", "bob")
        .recorded(Instant.parse("2025-03-14T10:00:00Z"), SIGNATURE, "db-pool");
    Feedback second = Feedback.of("inc-2", Feedback.Type.CORRECTION, 2, false, false, false, "", "", "scaled by hand",
        "alice").recorded(Instant.parse("2025-03-14T11:00:00Z"), SIGNATURE, "db-pool");
    Feedback other = Feedback.of("inc-3", Feedback.Type.GENERAL, 3, null, null, null, "", "", "", "carol")
        .recorded(Instant.parse("2025-03-14T12:00:00Z"), SIGNATURE, "other");

    feedback.append(first);
    feedback.append(second);
    feedback.append(other);

    assertThat(feedback.forIncident("inc-1")).containsExactly(first);
    assertThat(feedback.forPattern(SIGNATURE, "db-pool")).containsExactly(first, second);
    assertThat(feedback.forIncident("inc-9")).isEmpty();
  }

  @Test
  void append_boundToAPattern_addsItsScoreInTheSameTransaction() {
    Feedback first = rated("inc-1", 5, "2025-03-14T10:00:00Z", "db-pool");
    Feedback second = rated("inc-2", 2, "2025-03-14T11:00:00Z", "db-pool");
    dynamo.calls().reset();

    feedback.append(first);
    feedback.append(second);

    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("TransactWriteItems", 2L));
    dynamo.calls().reset();
    assertThat(feedback.scores(SIGNATURE, "db-pool")).containsExactly(FeedbackScore.of(first), FeedbackScore.of(second));
    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("GetItem", 1L));
    assertThat(feedback.scores(SIGNATURE, "other")).isEmpty();
  }

  @Test
  void append_withoutPattern_isOnePutAndJoinsNoScores() {
    Feedback general = Feedback.of("inc-1", Feedback.Type.GENERAL, 4, null, null, null, "", "", "", "")
        .recorded(Instant.parse("2025-03-14T10:00:00Z"), null, null);
    dynamo.calls().reset();

    feedback.append(general);

    assertThat(dynamo.calls().snapshot()).isEqualTo(Map.of("PutItem", 1L));
    assertThat(feedback.forIncident("inc-1")).containsExactly(general);
  }

  @Test
  void scores_areWhatTheReliabilityScoreWeighs() {
    Feedback correction = Feedback.of("inc-1", Feedback.Type.CORRECTION, 4, true, true, true, "", "", "rollback", "")
        .recorded(Instant.parse("2025-03-14T10:00:00Z"), SIGNATURE, "db-pool");

    feedback.append(correction);

    assertThat(feedback.scores(SIGNATURE, "db-pool")).singleElement().satisfies(score -> {
      assertThat(score.value()).isEqualTo(correction.value()).isEqualTo(0.25);
      assertThat(score.at()).isEqualTo(correction.at());
      assertThat(score.positive()).isFalse();
    });
  }

  @Test
  void backfillScores_buildsTheScoresOfFeedbackStoredBeforeThem_once() {
    Feedback older = rated("inc-1", 5, "2025-03-14T10:00:00Z", "db-pool");
    Feedback newer = rated("inc-2", 1, "2025-03-14T11:00:00Z", "db-pool");
    storeWithoutScores(newer);
    storeWithoutScores(older);
    assertThat(feedback.scores(SIGNATURE, "db-pool")).isEmpty();

    feedback.backfillScores();
    feedback.append(rated("inc-3", 4, "2025-03-14T12:00:00Z", "db-pool"));
    feedback.backfillScores();

    assertThat(feedback.scores(SIGNATURE, "db-pool")).extracting(FeedbackScore::at).containsExactly(
        older.at(), newer.at(), Instant.parse("2025-03-14T12:00:00Z"));
  }

  /** Feedback as stored before scores were kept: the feedback item only. */
  private void storeWithoutScores(Feedback item) {
    Map<String, AttributeValue> stored = new HashMap<>();
    String at = dev.reflex.adapters.dynamodb.internal.Items.sortable(item.at());
    stored.put("pk", AttributeValue.fromS("INC#" + item.incidentId()));
    stored.put("sk", AttributeValue.fromS("FB#" + at + "#x"));
    stored.put("at", AttributeValue.fromS(at));
    stored.put("body", AttributeValue.fromS(dev.reflex.adapters.dynamodb.internal.ReflexJson.write(item)));
    stored.put("pattern", AttributeValue.fromS(item.signature() + "#" + item.playbookId()));
    dynamo.client().putItem(r -> r.tableName(table).item(stored));
  }
}
