package dev.reflex.adapters.dynamodb;

import static dev.reflex.adapters.dynamodb.internal.Items.n;
import static dev.reflex.adapters.dynamodb.internal.Items.putIfPresent;
import static dev.reflex.adapters.dynamodb.internal.Items.s;

import dev.reflex.adapters.dynamodb.internal.Items;
import dev.reflex.adapters.dynamodb.internal.ReflexJson;
import dev.reflex.domain.model.ConsultationRecord;
import dev.reflex.domain.model.Remediation;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.port.ConsultationLog;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The consultation ledger in the consultations table: one flat item per consultation under
 * {@code pk = INC#<incidentId>}, {@code sk = AT#<at>#<random>}, with the draft as JSON in
 * {@code remediation}. The {@code bySignature} index ({@code signature}, {@code at}) finds a
 * signature's latest draft; the {@code byDay} index ({@code day} as {@code 2025-03-14},
 * {@code at}) answers a period one day at a time. Items have no {@code ttl}: the ledger is kept.
 */
public final class DynamoDbConsultationLog implements ConsultationLog {

  static final String PK_PREFIX = "INC#";
  /** The longest period {@link #between} reads: one Query per day. */
  public static final int MAX_DAYS = 400;

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbConsultationLog(DynamoDbClient dynamo) {
    this(dynamo, TableNames.defaults().consultations());
  }

  public DynamoDbConsultationLog(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
  }

  /** One PutItem; a random suffix keeps two records of the same instant apart. */
  @Override
  public void record(ConsultationRecord record) {
    dynamo.putItem(r -> r.tableName(table).item(item(record)));
  }

  /** One Query of the {@code bySignature} index, newest first, one item. */
  @Override
  public Optional<ConsultationRecord> findLatestBySignature(Signature signature) {
    List<Map<String, AttributeValue>> items = dynamo.query(r -> r.tableName(table)
            .indexName(ReflexTables.CONSULTATIONS_BY_SIGNATURE_INDEX)
            .keyConditionExpression("signature = :signature")
            .expressionAttributeValues(Map.of(":signature", s(signature.toString())))
            .scanIndexForward(false)
            .limit(1))
        .items();
    return items.isEmpty() ? Optional.empty() : Optional.of(fromItem(items.get(0)));
  }

  /** A strongly consistent Query of the incident's partition, oldest first. */
  @Override
  public List<ConsultationRecord> byIncident(String incidentId) {
    return queryAll(QueryRequest.builder().tableName(table)
        .keyConditionExpression("pk = :pk")
        .expressionAttributeValues(Map.of(":pk", s(PK_PREFIX + incidentId)))
        .consistentRead(true)
        .build(), Integer.MAX_VALUE);
  }

  /**
   * One Query of the {@code byDay} index per UTC day of the period, oldest first.
   *
   * @throws IllegalArgumentException when the period spans more than {@link #MAX_DAYS} days
   */
  @Override
  public List<ConsultationRecord> between(Instant from, Instant to, int limit) {
    List<ConsultationRecord> records = new ArrayList<>();
    if (!from.isBefore(to) || limit <= 0) {
      return records;
    }
    LocalDate last = LocalDate.ofInstant(to.minusNanos(1), ZoneOffset.UTC);
    if (LocalDate.ofInstant(from, ZoneOffset.UTC).plusDays(MAX_DAYS).isBefore(last)) {
      throw new IllegalArgumentException("a period of consultations spans at most " + MAX_DAYS + " days");
    }
    for (LocalDate day = LocalDate.ofInstant(from, ZoneOffset.UTC); !day.isAfter(last) && records.size() < limit;
        day = day.plusDays(1)) {
      records.addAll(queryAll(QueryRequest.builder().tableName(table)
          .indexName(ReflexTables.CONSULTATIONS_BY_DAY_INDEX)
          .keyConditionExpression("#day = :day AND #at BETWEEN :from AND :to")
          .expressionAttributeNames(Map.of("#day", "day", "#at", "at"))
          .expressionAttributeValues(Map.of(":day", s(day.toString()), ":from", Items.time(from),
              ":to", Items.time(to.minusNanos(1))))
          .build(), limit - records.size()));
    }
    records.sort(Comparator.comparing(ConsultationRecord::at));
    return records;
  }

  private List<ConsultationRecord> queryAll(QueryRequest request, int limit) {
    List<ConsultationRecord> records = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryResponse response = dynamo.query(start == null ? request : request.toBuilder().exclusiveStartKey(start).build());
      for (Map<String, AttributeValue> item : response.items()) {
        if (records.size() >= limit) {
          return records;
        }
        records.add(fromItem(item));
      }
      start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
          ? response.lastEvaluatedKey() : null;
    } while (start != null);
    return records;
  }

  static Map<String, AttributeValue> item(ConsultationRecord record) {
    Map<String, AttributeValue> item = new HashMap<>();
    String at = Items.sortable(record.at());
    item.put("pk", s(PK_PREFIX + record.incidentId()));
    item.put("sk", s("AT#" + at + "#" + UUID.randomUUID().toString().substring(0, 8)));
    item.put("incidentId", s(record.incidentId()));
    item.put("signature", s(record.signature().toString()));
    item.put("at", s(at));
    item.put("day", s(LocalDate.ofInstant(record.at(), ZoneOffset.UTC).toString()));
    item.put("consultant", s(record.consultant()));
    item.put("model", s(record.model()));
    item.put("inputTokens", n(record.inputTokens()));
    item.put("outputTokens", n(record.outputTokens()));
    item.put("cacheReadTokens", n(record.cacheReadTokens()));
    item.put("cacheWriteTokens", n(record.cacheWriteTokens()));
    item.put("latencyMs", n(record.latencyMs()));
    item.put("stopReason", s(record.stopReason()));
    item.put("costUsd", n(record.costUsd()));
    item.put("calls", n(record.calls()));
    putIfPresent(item, "fallbackReason", record.fallbackReason());
    putIfPresent(item, "reusedFrom", record.reusedFrom());
    item.put("remediation", s(ReflexJson.write(record.remediation())));
    return item;
  }

  static ConsultationRecord fromItem(Map<String, AttributeValue> item) {
    return new ConsultationRecord(
        Items.requiredString(item, "incidentId"),
        Signature.parse(Items.requiredString(item, "signature")),
        Items.requiredString(item, "consultant"),
        Items.string(item, "model"),
        Items.number(item, "inputTokens"),
        Items.number(item, "outputTokens"),
        Items.number(item, "cacheReadTokens"),
        Items.number(item, "cacheWriteTokens"),
        Items.number(item, "latencyMs"),
        Items.string(item, "stopReason"),
        Items.decimal(item, "costUsd"),
        (int) Items.number(item, "calls"),
        Items.string(item, "fallbackReason"),
        Items.string(item, "reusedFrom"),
        Items.instant(item, "at"),
        ReflexJson.read(Items.requiredString(item, "remediation"), Remediation.class));
  }

  @Override
  public String toString() {
    return "DynamoDbConsultationLog[" + table + "]";
  }
}
