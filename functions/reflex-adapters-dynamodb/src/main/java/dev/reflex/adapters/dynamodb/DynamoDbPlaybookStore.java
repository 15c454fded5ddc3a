package dev.reflex.adapters.dynamodb;

import static dev.reflex.adapters.dynamodb.internal.Items.n;
import static dev.reflex.adapters.dynamodb.internal.Items.putIfPresent;
import static dev.reflex.adapters.dynamodb.internal.Items.s;

import dev.reflex.adapters.dynamodb.internal.Items;
import dev.reflex.adapters.dynamodb.internal.ReflexJson;
import dev.reflex.domain.error.ConcurrentUpdateException;
import dev.reflex.domain.error.PlaybookAlreadyExistsException;
import dev.reflex.domain.error.PlaybookNotFoundException;
import dev.reflex.domain.model.Parameter;
import dev.reflex.domain.model.Playbook;
import dev.reflex.domain.model.PlaybookSource;
import dev.reflex.domain.model.PlaybookStats;
import dev.reflex.domain.model.PlaybookStatus;
import dev.reflex.domain.model.PlaybookStep;
import dev.reflex.domain.model.Signature;
import dev.reflex.domain.model.StepAction;
import dev.reflex.domain.port.PlaybookStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Playbook metadata and learning numbers in one table keyed by {@code pk}/{@code sk}:
 *
 * <ul>
 *   <li>{@code PB#<id>}/{@code PLAYBOOK}: the playbook. Top-level {@code id, version, title,
 *       source, status, signature, anomalyTypes, typesKey, revision} and the learning numbers
 *       {@code confidence, successCount, failureCount, consecutiveFailures, lastOutcomeAt}, which
 *       are stored only here; {@code doc} holds the JSON of the remaining content. Learned playbooks
 *       carry {@code signature} and so appear in the sparse {@code bySignature} index.
 *   <li>{@code TYPE#<anomalyType>}/{@code <id>}: one index item per declared anomaly type, written
 *       in the same transaction as the playbook, so {@link #findByAnomalyType} is a Query.
 * </ul>
 */
public final class DynamoDbPlaybookStore implements PlaybookStore {

  static final String PLAYBOOK_SORT_KEY = "PLAYBOOK";
  private static final int BATCH_GET_LIMIT = 100;
  private static final int TRANSACTION_LIMIT = 100;

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbPlaybookStore(DynamoDbClient dynamo) {
    this(dynamo, TableNames.defaults().playbooks());
  }

  public DynamoDbPlaybookStore(DynamoDbClient dynamo, String table) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = Objects.requireNonNull(table, "table");
  }

  String table() {
    return table;
  }

  @Override
  public Optional<Playbook> find(String id) {
    Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
            .key(playbookKey(id))
            .consistentRead(true))
        .item();
    return Items.isEmpty(item) ? Optional.empty() : Optional.of(fromItem(item));
  }

  /** One Query of the {@code bySignature} index (eventually consistent on AWS). */
  @Override
  public List<Playbook> findBySignature(Signature signature) {
    List<Playbook> found = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryResponse page = dynamo.query(QueryRequest.builder()
          .tableName(table)
          .indexName(ReflexTables.PLAYBOOKS_BY_SIGNATURE_INDEX)
          .keyConditionExpression("signature = :signature")
          .expressionAttributeValues(Map.of(":signature", s(signature.toString())))
          .exclusiveStartKey(start)
          .build());
      page.items().forEach(item -> found.add(fromItem(item)));
      start = nextPage(page.lastEvaluatedKey());
    } while (start != null);
    return List.copyOf(found);
  }

  /** One consistent Query of the type's index items, then one BatchGetItem per 100 playbooks. */
  @Override
  public List<Playbook> findByAnomalyType(String anomalyType) {
    Set<String> ids = new LinkedHashSet<>();
    Map<String, AttributeValue> start = null;
    do {
      QueryResponse page = dynamo.query(QueryRequest.builder()
          .tableName(table)
          .keyConditionExpression("pk = :type")
          .expressionAttributeValues(Map.of(":type", s(typeKey(anomalyType))))
          .consistentRead(true)
          .exclusiveStartKey(start)
          .build());
      page.items().forEach(item -> ids.add(Items.requiredString(item, "sk")));
      start = nextPage(page.lastEvaluatedKey());
    } while (start != null);
    // an index item outlives its playbook only if a write was interrupted: filter, never trust it
    return batchGet(ids).stream()
        .filter(playbook -> playbook.anomalyTypes().contains(anomalyType))
        .sorted(Comparator.comparing(Playbook::id))
        .toList();
  }

  /** Scans the table (admin listing only), following every page; sorted by id. */
  @Override
  public List<Playbook> list() {
    List<Playbook> all = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      ScanResponse page = dynamo.scan(ScanRequest.builder()
          .tableName(table)
          .filterExpression("sk = :sk")
          .expressionAttributeValues(Map.of(":sk", s(PLAYBOOK_SORT_KEY)))
          .consistentRead(true)
          .exclusiveStartKey(start)
          .build());
      page.items().forEach(item -> all.add(fromItem(item)));
      start = nextPage(page.lastEvaluatedKey());
    } while (start != null);
    all.sort(Comparator.comparing(Playbook::id));
    return List.copyOf(all);
  }

  /**
   * Stores the playbook at revision 0 with one index item per anomaly type: one
   * TransactWriteItems call, or one PutItem when it declares no type.
   */
  @Override
  public Playbook create(Playbook given) {
    Playbook playbook = given.withRevision(0);
    List<String> types = distinct(playbook.anomalyTypes());
    if (types.size() >= TRANSACTION_LIMIT) {
      throw new IllegalArgumentException("playbook " + playbook.id() + " declares too many anomaly types");
    }
    if (types.isEmpty()) {
      try {
        dynamo.putItem(r -> r.tableName(table)
            .item(playbookItem(playbook))
            .conditionExpression("attribute_not_exists(pk)"));
      } catch (ConditionalCheckFailedException e) {
        throw alreadyExists(playbook);
      }
      return playbook;
    }
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(TransactWriteItem.builder().put(Put.builder()
            .tableName(table)
            .item(playbookItem(playbook))
            .conditionExpression("attribute_not_exists(pk)")
            .build())
        .build());
    types.forEach(type -> writes.add(putTypeItem(type, playbook.id())));
    try {
      dynamo.transactWriteItems(r -> r.transactItems(writes));
    } catch (TransactionCanceledException e) {
      if (failedCondition(e, 0)) {
        throw alreadyExists(playbook);
      }
      throw new ConcurrentUpdateException("playbook " + playbook.id() + " is being created concurrently");
    }
    return playbook;
  }

  /**
   * One PutItem conditioned on the revision and on the anomaly types being unchanged; when the
   * types did change, a transaction rewrites the playbook and its index items instead.
   */
  @Override
  public Playbook update(Playbook playbook) {
    long expected = playbook.revision();
    Playbook stored = playbook.withRevision(expected + 1);
    try {
      dynamo.putItem(r -> r.tableName(table)
          .item(playbookItem(stored))
          .conditionExpression("#revision = :expected AND typesKey = :typesKey")
          .expressionAttributeNames(Map.of("#revision", "revision"))
          .expressionAttributeValues(Map.of(":expected", n(expected), ":typesKey", s(typesKey(stored))))
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
      return stored;
    } catch (ConditionalCheckFailedException e) {
      Map<String, AttributeValue> current = e.hasItem()
          ? e.item()
          : dynamo.getItem(r -> r.tableName(table).key(playbookKey(playbook.id())).consistentRead(true)).item();
      if (Items.isEmpty(current)) {
        throw new PlaybookNotFoundException("no playbook " + playbook.id());
      }
      if (Items.number(current, "revision") != expected) {
        throw stale(playbook, Items.number(current, "revision"));
      }
      return updateWithTypes(stored, expected, Items.strings(current, "anomalyTypes"));
    }
  }

  private Playbook updateWithTypes(Playbook stored, long expected, List<String> previousTypes) {
    List<String> types = distinct(stored.anomalyTypes());
    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(TransactWriteItem.builder().put(Put.builder()
            .tableName(table)
            .item(playbookItem(stored))
            .conditionExpression("#revision = :expected")
            .expressionAttributeNames(Map.of("#revision", "revision"))
            .expressionAttributeValues(Map.of(":expected", n(expected)))
            .build())
        .build());
    types.stream().filter(type -> !previousTypes.contains(type))
        .forEach(type -> writes.add(putTypeItem(type, stored.id())));
    previousTypes.stream().filter(type -> !types.contains(type))
        .forEach(type -> writes.add(TransactWriteItem.builder().delete(Delete.builder()
                .tableName(table)
                .key(Map.of("pk", s(typeKey(type)), "sk", s(stored.id())))
                .build())
            .build()));
    if (writes.size() > TRANSACTION_LIMIT) {
      throw new IllegalArgumentException("playbook " + stored.id() + " changes too many anomaly types at once");
    }
    try {
      dynamo.transactWriteItems(r -> r.transactItems(writes));
      return stored;
    } catch (TransactionCanceledException e) {
      throw new ConcurrentUpdateException("playbook " + stored.id() + " changed since revision " + expected);
    }
  }

  private List<Playbook> batchGet(Set<String> ids) {
    List<Playbook> found = new ArrayList<>();
    List<String> pending = new ArrayList<>(ids);
    for (int from = 0; from < pending.size(); from += BATCH_GET_LIMIT) {
      List<Map<String, AttributeValue>> keys = pending.subList(from, Math.min(from + BATCH_GET_LIMIT, pending.size()))
          .stream().map(DynamoDbPlaybookStore::playbookKey).toList();
      Map<String, KeysAndAttributes> request =
          Map.of(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
      while (!request.isEmpty()) {
        Map<String, KeysAndAttributes> current = request;
        BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(current));
        response.responses().getOrDefault(table, List.of()).forEach(item -> found.add(fromItem(item)));
        request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
      }
    }
    return found;
  }

  private TransactWriteItem putTypeItem(String type, String id) {
    return TransactWriteItem.builder().put(Put.builder()
            .tableName(table)
            .item(Map.of("pk", s(typeKey(type)), "sk", s(id), "anomalyType", s(type)))
            .build())
        .build();
  }

  private static boolean failedCondition(TransactionCanceledException e, int index) {
    List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
    return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
  }

  private static Map<String, AttributeValue> nextPage(Map<String, AttributeValue> lastEvaluatedKey) {
    return lastEvaluatedKey == null || lastEvaluatedKey.isEmpty() ? null : lastEvaluatedKey;
  }

  private static PlaybookAlreadyExistsException alreadyExists(Playbook playbook) {
    return new PlaybookAlreadyExistsException("playbook " + playbook.id() + " already exists");
  }

  private static ConcurrentUpdateException stale(Playbook playbook, long current) {
    return new ConcurrentUpdateException("playbook " + playbook.id() + " is at revision " + current
        + ", the update was made from revision " + playbook.revision());
  }

  private static List<String> distinct(List<String> types) {
    return List.copyOf(new LinkedHashSet<>(types));
  }

  /** The declared types in a canonical form, so an update can tell cheaply whether they changed. */
  private static String typesKey(Playbook playbook) {
    return String.join("\n", new TreeSet<>(playbook.anomalyTypes()));
  }

  static Map<String, AttributeValue> playbookKey(String id) {
    return Map.of("pk", s("PB#" + id), "sk", s(PLAYBOOK_SORT_KEY));
  }

  static String typeKey(String anomalyType) {
    return "TYPE#" + anomalyType;
  }

  static Map<String, AttributeValue> playbookItem(Playbook playbook) {
    Map<String, AttributeValue> item = new HashMap<>(playbookKey(playbook.id()));
    item.put("id", s(playbook.id()));
    item.put("version", s(playbook.version()));
    item.put("title", s(playbook.title()));
    item.put("source", s(playbook.source().name()));
    item.put("status", s(playbook.status().name()));
    putIfPresent(item, "signature", playbook.signature() == null ? null : playbook.signature().toString());
    item.put("anomalyTypes", Items.list(playbook.anomalyTypes()));
    item.put("typesKey", s(typesKey(playbook)));
    PlaybookStats stats = playbook.stats();
    item.put("confidence", n(stats.confidence()));
    item.put("successCount", n(stats.successCount()));
    item.put("failureCount", n(stats.failureCount()));
    item.put("consecutiveFailures", n(stats.consecutiveFailures()));
    putIfPresent(item, "lastOutcomeAt", stats.lastOutcomeAt());
    item.put("revision", n(playbook.revision()));
    item.put("doc", s(ReflexJson.write(Content.of(playbook))));
    return item;
  }

  static Playbook fromItem(Map<String, AttributeValue> item) {
    Content content = ReflexJson.read(Items.requiredString(item, "doc"), Content.class);
    String signature = Items.string(item, "signature");
    PlaybookStats stats = new PlaybookStats(
        Items.decimal(item, "confidence"),
        Math.toIntExact(Items.number(item, "successCount")),
        Math.toIntExact(Items.number(item, "failureCount")),
        Math.toIntExact(Items.number(item, "consecutiveFailures")),
        Items.instant(item, "lastOutcomeAt"));
    return new Playbook(
        Items.requiredString(item, "id"),
        Items.requiredString(item, "version"),
        Items.requiredString(item, "title"),
        PlaybookSource.valueOf(Items.requiredString(item, "source")),
        PlaybookStatus.valueOf(Items.requiredString(item, "status")),
        Items.strings(item, "anomalyTypes"),
        content.signaturePatterns(),
        signature == null ? null : Signature.parse(signature),
        content.description(),
        content.guidance(),
        content.parameters(),
        content.steps(),
        content.verification(),
        stats,
        content.supportingIncidents(),
        content.evidenceText(),
        content.branch(),
        content.commitSha(),
        Items.number(item, "revision"));
  }

  /** The part of a playbook kept as JSON: everything not stored as its own attribute. */
  record Content(
      List<String> signaturePatterns,
      String description,
      String guidance,
      List<Parameter> parameters,
      List<PlaybookStep> steps,
      StepAction verification,
      List<String> supportingIncidents,
      String evidenceText,
      String branch,
      String commitSha) {

    static Content of(Playbook p) {
      return new Content(p.signaturePatterns(), p.description(), p.guidance(), p.parameters(), p.steps(),
          p.verification(), p.supportingIncidents(), p.evidenceText(), p.branch(), p.commitSha());
    }
  }

  @Override
  public String toString() {
    return "DynamoDbPlaybookStore[" + table + "]";
  }
}
