package dev.reflex.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

class ReflexTablesIT {

  @RegisterExtension static final LocalDynamoDbExtension dynamo = new LocalDynamoDbExtension();

  @Test
  void createIfMissing_createsEveryTableOnDemandWithItsIndexes() {
    TableNames names = TableNames.withPrefix("tables-a-");

    new ReflexTables(dynamo.client(), names).createIfMissing();

    assertThat(indexes(names.incidents())).containsExactly("gsi1");
    assertThat(indexes(names.playbooks())).containsExactly("bySignature");
    assertThat(indexes(names.approvals())).containsExactly("byIncident");
    assertThat(indexes(names.consultations())).containsExactlyInAnyOrder("bySignature", "byDay");
    for (String table : names.all()) {
      TableDescription description = describe(table);
      assertThat(description.tableStatus()).isEqualTo(TableStatus.ACTIVE);
      assertThat(description.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
    }
    assertThat(dynamo.client().describeTimeToLive(r -> r.tableName(names.approvals()))
            .timeToLiveDescription())
        .satisfies(ttl -> {
          assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
          assertThat(ttl.attributeName()).isEqualTo("ttl");
        });
  }

  @Test
  void createIfMissing_whenTablesExist_changesNothing() {
    TableNames names = TableNames.withPrefix("tables-b-");
    ReflexTables tables = new ReflexTables(dynamo.client(), names);
    tables.createIfMissing();
    dynamo.calls().reset();

    tables.createIfMissing();

    assertThat(dynamo.calls().count("CreateTable")).isZero();
    assertThat(dynamo.calls().count("UpdateTable")).isZero();
    assertThat(dynamo.calls().count("UpdateTimeToLive")).isZero();
  }

  @Test
  void createIfMissing_whenAnIndexIsMissing_addsIt() {
    TableNames names = TableNames.withPrefix("tables-c-");
    CreateTableRequest withoutIndex = ReflexTables.incidents(names.incidents()).toBuilder()
        .globalSecondaryIndexes((Collection<GlobalSecondaryIndex>) null)
        .attributeDefinitions(ReflexTables.incidents(names.incidents()).attributeDefinitions().get(0))
        .build();
    dynamo.client().createTable(withoutIndex);

    new ReflexTables(dynamo.client(), names).createIfMissing();

    assertThat(indexes(names.incidents())).containsExactly("gsi1");
  }

  @Test
  void createIfMissing_createsGovernanceAndAuditTables_withTtlOnCounters() {
    TableNames names = TableNames.withPrefix("tables-g-");

    new ReflexTables(dynamo.client(), names).createIfMissing();

    assertThat(dynamo.client().listTables().tableNames()).containsAll(names.all());
    assertThat(dynamo.client().describeTimeToLive(r -> r.tableName(names.counters())).timeToLiveDescription())
        .satisfies(ttl -> {
          assertThat(ttl.attributeName()).isEqualTo(DynamoDbActionCounters.TTL_ATTRIBUTE);
          assertThat(ttl.timeToLiveStatusAsString()).isIn("ENABLED", "ENABLING");
        });
  }

  @Test
  void deleteAll_removesTheTables() {
    TableNames names = TableNames.withPrefix("tables-d-");
    ReflexTables tables = new ReflexTables(dynamo.client(), names);
    tables.createIfMissing();

    tables.deleteAll();

    assertThat(dynamo.client().listTables().tableNames()).doesNotContainAnyElementsOf(names.all());
  }

  @Test
  void tableNames_withDefaultsAndPrefix_areNamedByPrefix() {
    assertThat(TableNames.defaults().all())
        .containsExactly("reflex-incidents", "reflex-playbooks", "reflex-approvals", "reflex-consultations",
            "reflex-audit", "reflex-counters", "reflex-feedback", "reflex-outcomes");
    assertThat(new TableNames("a-incidents", "a-playbooks", "a-approvals").consultations())
        .isEqualTo("a-consultations");
    assertThat(TableNames.withPrefix("staging-reflex-").incidents()).isEqualTo("staging-reflex-incidents");
    assertThatThrownBy(() -> TableNames.withPrefix("bad prefix ")).isInstanceOf(IllegalArgumentException.class);
  }

  private TableDescription describe(String table) {
    return dynamo.client().describeTable(r -> r.tableName(table)).table();
  }

  private List<String> indexes(String table) {
    TableDescription description = describe(table);
    return description.hasGlobalSecondaryIndexes()
        ? description.globalSecondaryIndexes().stream().map(GlobalSecondaryIndexDescription::indexName).toList()
        : List.of();
  }
}
