package dev.reflex.adapters.dynamodb;

import static dev.reflex.adapters.dynamodb.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.model.Incident;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

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
