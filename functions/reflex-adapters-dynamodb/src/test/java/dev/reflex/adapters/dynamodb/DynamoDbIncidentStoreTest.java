package dev.reflex.adapters.dynamodb;

import static dev.reflex.adapters.dynamodb.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.model.Incident;
import dev.reflex.domain.model.IncidentStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** The exact TransactWriteItems request, and the retry on a transaction conflict DynamoDB Local never produces. */
class DynamoDbIncidentStoreTest {

  private final List<TransactWriteItemsRequest> requests = new ArrayList<>();

  @Test
  void openIfAbsent_sendsGuardThenIncidentEachConditionedOnAbsence() {
    DynamoDbIncidentStore store = new DynamoDbIncidentStore(clientFailing(0), "incidents");
    Incident incident = Fixtures.openIncident("inc-1", "fp-1", T0);

    assertThat(store.openIfAbsent(incident).created()).isTrue();

    assertThat(requests).hasSize(1);
    Put guard = requests.get(0).transactItems().get(0).put();
    Put record = requests.get(0).transactItems().get(1).put();
    assertThat(guard.tableName()).isEqualTo("incidents");
    assertThat(guard.item().get("pk").s()).isEqualTo("OCC#" + incident.occurrenceKey());
    assertThat(guard.item().get("incidentId").s()).isEqualTo("inc-1");
    assertThat(guard.conditionExpression()).isEqualTo("attribute_not_exists(pk)");
    assertThat(guard.returnValuesOnConditionCheckFailure()).isEqualTo(ReturnValuesOnConditionCheckFailure.ALL_OLD);
    assertThat(record.item().get("pk").s()).isEqualTo("INC#inc-1");
    assertThat(record.item().get("gsi1pk").s()).isEqualTo("INCIDENT");
    assertThat(record.item().get("gsi1sk").s()).isEqualTo("2026-03-01T10:15:30.123456789Z#inc-1");
    assertThat(record.item().get("revision").n()).isEqualTo("0");
    assertThat(record.item().get("status").s()).isEqualTo("OPEN");
    assertThat(record.conditionExpression()).isEqualTo("attribute_not_exists(pk)");
  }

  @Test
  void incidentItem_exposesWhatIsQueriedOrDisplayedBesideTheDocument() {
    Incident incident = Fixtures.fullIncident("inc-full");

    var item = DynamoDbIncidentStore.incidentItem(incident);

    assertThat(item.keySet()).containsExactlyInAnyOrder("pk", "id", "occurrenceKey", "status", "alertName",
        "signature", "createdAt", "updatedAt", "revision", "gsi1pk", "gsi1sk", "doc");
    assertThat(item.get("signature").s()).isEqualTo("high_latency|payment-api|india");
    assertThat(item.get("status").s()).isEqualTo("RESOLVED");
    assertThat(item.get("updatedAt").s()).isEqualTo("2026-03-01T10:18:50.123456789Z");
    assertThat(DynamoDbIncidentStore.fromItem(item)).isEqualTo(incident);
  }

  @Test
  void markDetected_sendsOneUpdateItemConditionedOnOpenWithSignature() {
    List<UpdateItemRequest> updates = new ArrayList<>();
    Incident stored = Fixtures.fullIncident("inc-1");
    DynamoDbClient client = new DynamoDbClient() {
      @Override
      public UpdateItemResponse updateItem(UpdateItemRequest request) {
        updates.add(request);
        return UpdateItemResponse.builder().attributes(DynamoDbIncidentStore.incidentItem(stored)).build();
      }

      @Override
      public String serviceName() {
        return "dynamodb";
      }

      @Override
      public void close() {}
    };

    new DynamoDbIncidentStore(client, "incidents").markDetected("inc-1", T0);

    UpdateItemRequest update = updates.get(0);
    assertThat(update.tableName()).isEqualTo("incidents");
    assertThat(update.key()).isEqualTo(java.util.Map.of("pk", AttributeValue.fromS("INC#inc-1")));
    assertThat(update.updateExpression())
        .isEqualTo("SET #status = :detected, #updatedAt = :at, #revision = #revision + :one");
    assertThat(update.conditionExpression()).isEqualTo("#status = :open AND attribute_exists(#signature)");
    assertThat(update.expressionAttributeNames()).containsEntry("#signature", "signature")
        .containsEntry("#status", "status");
    assertThat(update.expressionAttributeValues()).containsEntry(":detected", AttributeValue.fromS("DETECTED"))
        .containsEntry(":open", AttributeValue.fromS("OPEN"))
        .containsEntry(":at", AttributeValue.fromS("2026-03-01T10:15:30.123456789Z"));
    assertThat(update.returnValues()).isEqualTo(ReturnValue.ALL_NEW);
    assertThat(update.returnValuesOnConditionCheckFailure()).isEqualTo(ReturnValuesOnConditionCheckFailure.ALL_OLD);
  }

  @Test
  void fromItem_takesStatusAndUpdatedAtFromTheirAttributesOverTheDocument() {
    Incident incident = Fixtures.fullIncident("inc-full");
    var item = new java.util.HashMap<>(DynamoDbIncidentStore.incidentItem(incident));
    item.put("status", AttributeValue.fromS("DETECTED"));
    item.put("updatedAt", AttributeValue.fromS("2026-03-01T11:00:00.000000000Z"));
    item.put("revision", AttributeValue.fromN("4"));

    Incident read = DynamoDbIncidentStore.fromItem(item);

    assertThat(read.status()).isEqualTo(IncidentStatus.DETECTED);
    assertThat(read.updatedAt()).isEqualTo(java.time.Instant.parse("2026-03-01T11:00:00Z"));
    assertThat(read.revision()).isEqualTo(4);
    assertThat(read.timeline()).isEqualTo(incident.timeline());
  }

  @Test
  void openIfAbsent_afterTransactionConflicts_retriesUntilItCommits() {
    DynamoDbIncidentStore store = new DynamoDbIncidentStore(clientFailing(2), "incidents");

    assertThat(store.openIfAbsent(Fixtures.openIncident("inc-1", "fp-1", T0)).created()).isTrue();

    assertThat(requests).hasSize(3);
  }

  @Test
  void openIfAbsent_whenConflictsPersist_givesUpWithConcurrentUpdate() {
    DynamoDbIncidentStore store = new DynamoDbIncidentStore(clientFailing(Integer.MAX_VALUE), "incidents");

    assertThatThrownBy(() -> store.openIfAbsent(Fixtures.openIncident("inc-1", "fp-1", T0)))
        .isInstanceOf(ConcurrentUpdateException.class);
    assertThat(requests).hasSize(8);
  }

  /** A client whose first {@code conflicts} transactions are cancelled by a conflict. */
  private DynamoDbClient clientFailing(int conflicts) {
    return new DynamoDbClient() {
      @Override
      public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        requests.add(request);
        if (requests.size() <= conflicts) {
          throw TransactionCanceledException.builder()
              .message("Transaction cancelled")
              .cancellationReasons(
                  CancellationReason.builder().code("TransactionConflict").build(),
                  CancellationReason.builder().code("None").build())
              .build();
        }
        return TransactWriteItemsResponse.builder().build();
      }

      @Override
      public String serviceName() {
        return "dynamodb";
      }

      @Override
      public void close() {}
    };
  }
}
