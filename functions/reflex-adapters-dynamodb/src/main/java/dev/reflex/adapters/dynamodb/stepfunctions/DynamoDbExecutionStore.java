package dev.reflex.adapters.dynamodb.stepfunctions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.reflex.stepfunctions.ExecutionRecord;
import dev.reflex.stepfunctions.ExecutionStatus;
import dev.reflex.stepfunctions.ExecutionStore;
import dev.reflex.stepfunctions.HistoryEvent;
import dev.reflex.stepfunctions.RuntimeState;
import dev.reflex.stepfunctions.TaskTokenRecord;
import dev.reflex.stepfunctions.TokenStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@link ExecutionStore} on one DynamoDB table (low-level client), so executions survive a restart
 * of the embedded runtime.
 *
 * <pre>
 * pk                 sk                      item
 * EXEC#&lt;arn&gt;         EXEC                    the execution record; attribute running = "RUNNING" while it runs
 * EXEC#&lt;arn&gt;         EVT#&lt;20-digit id&gt;       one history event
 * TOKEN#&lt;token&gt;      TOKEN                   one task token
 * GSI running-index: running (partition) — sparse, lists running executions
 * </pre>
 *
 * Every conditional write maps {@code ConditionalCheckFailedException} (or a transaction cancelled
 * by a condition) to {@code false}. Text over {@value #COMPRESS_OVER_BYTES} bytes (inputs, outputs,
 * runtime state) is stored gzipped as a binary attribute to stay under the 400 KB item limit.
 */
public final class DynamoDbExecutionStore implements ExecutionStore {
    public static final String DEFAULT_TABLE_NAME = "reflex-executions";
    static final String RUNNING_INDEX = "running-index";
    static final int COMPRESS_OVER_BYTES = 16 * 1024;
    /** DynamoDB transactions hold at most 100 writes: the execution plus 99 events. */
    private static final int MAX_EVENTS_IN_TRANSACTION = 99;
    private static final int BATCH_WRITE_SIZE = 25;
    private static final int MAX_CONFLICT_RETRIES = 10;

    private static final String PK = "pk";
    private static final String SK = "sk";
    private static final String RUNNING = "running";
    private static final String EXEC_SK = "EXEC";
    private static final String TOKEN_SK = "TOKEN";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private final DynamoDbClient client;
    private final String tableName;

    public DynamoDbExecutionStore(DynamoDbClient client, String tableName) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    public DynamoDbExecutionStore(DynamoDbClient client) {
        this(client, DEFAULT_TABLE_NAME);
    }

    public String tableName() {
        return tableName;
    }

    /** Creates the table (on-demand billing, with its running-executions index) unless it exists, and waits until it is active. */
    public void createTableIfMissing() {
        try {
            client.describeTable(r -> r.tableName(tableName));
            return;
        } catch (ResourceNotFoundException missing) {
            // create below
        }
        try {
            client.createTable(r -> r.tableName(tableName)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            attribute(PK), attribute(SK), attribute(RUNNING))
                    .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                            .indexName(RUNNING_INDEX)
                            .keySchema(key(RUNNING, KeyType.HASH), key(PK, KeyType.RANGE))
                            .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                            .build()));
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceInUseException raced) {
            // another process created it meanwhile
        }
        client.waiter().waitUntilTableExists(r -> r.tableName(tableName));
    }

    @Override
    public boolean create(ExecutionRecord execution, List<HistoryEvent> events) {
        return writeExecution(execution, events, "attribute_not_exists(pk)", Map.of(), Map.of());
    }

    @Override
    public Optional<ExecutionRecord> find(String executionArn) {
        Map<String, AttributeValue> item = client.getItem(r -> r.tableName(tableName)
                .key(key(executionPk(executionArn), EXEC_SK)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toExecution(item));
    }

    @Override
    public boolean update(ExecutionRecord execution, long expectedVersion, List<HistoryEvent> events) {
        return writeExecution(execution, events, "#version = :expected",
                Map.of("#version", "version"), Map.of(":expected", number(expectedVersion)));
    }

    @Override
    public List<HistoryEvent> history(String executionArn) {
        QueryRequest query = QueryRequest.builder()
                .tableName(tableName)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :evt)")
                .expressionAttributeValues(Map.of(
                        ":pk", string(executionPk(executionArn)), ":evt", string("EVT#")))
                .consistentRead(true)
                .build();
        List<HistoryEvent> events = new ArrayList<>();
        client.queryPaginator(query).items().forEach(item -> events.add(toEvent(item)));
        return events;
    }

    @Override
    public List<String> runningExecutions() {
        QueryRequest query = QueryRequest.builder()
                .tableName(tableName)
                .indexName(RUNNING_INDEX)
                .keyConditionExpression("#running = :running")
                .expressionAttributeNames(Map.of("#running", RUNNING))
                .expressionAttributeValues(Map.of(":running", string(ExecutionStatus.RUNNING.name())))
                .build();
        List<String> arns = new ArrayList<>();
        client.queryPaginator(query).items()
                .forEach(item -> arns.add(item.get(PK).s().substring("EXEC#".length())));
        return arns;
    }

    @Override
    public boolean putToken(TaskTokenRecord token) {
        return conditionalPut(tokenItem(token), "attribute_not_exists(pk)", Map.of(), Map.of());
    }

    @Override
    public Optional<TaskTokenRecord> findToken(String token) {
        Map<String, AttributeValue> item = client.getItem(r -> r.tableName(tableName)
                .key(key(tokenPk(token), TOKEN_SK)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toToken(item));
    }

    @Override
    public boolean updateToken(TaskTokenRecord token, TokenStatus expectedStatus) {
        return conditionalPut(tokenItem(token), "#status = :expected",
                Map.of("#status", "status"), Map.of(":expected", string(expectedStatus.name())));
    }

    // --- writes -------------------------------------------------------------------------------

    private boolean writeExecution(ExecutionRecord execution, List<HistoryEvent> events, String condition,
                                   Map<String, String> names, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> item = executionItem(execution);
        if (events.size() > MAX_EVENTS_IN_TRANSACTION) {
            // Too many for one transaction: events first (the store contract allows it, ids are never reused).
            batchPut(events.stream().map(e -> eventItem(execution.executionArn(), e)).toList());
            return conditionalPut(item, condition, names, values);
        }
        if (events.isEmpty()) {
            return conditionalPut(item, condition, names, values);
        }
        List<TransactWriteItem> writes = new ArrayList<>(events.size() + 1);
        writes.add(TransactWriteItem.builder().put(put(item, condition, names, values)).build());
        for (HistoryEvent event : events) {
            writes.add(TransactWriteItem.builder()
                    .put(Put.builder().tableName(tableName).item(eventItem(execution.executionArn(), event)).build())
                    .build());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                client.transactWriteItems(r -> r.transactItems(writes));
                return true;
            } catch (TransactionCanceledException cancelled) {
                if (cancelledByCondition(cancelled)) {
                    return false;
                }
                if (attempt >= MAX_CONFLICT_RETRIES) {
                    throw cancelled;
                }
                backOff(attempt);
            }
        }
    }

    private boolean conditionalPut(Map<String, AttributeValue> item, String condition,
                                   Map<String, String> names, Map<String, AttributeValue> values) {
        Put put = put(item, condition, names, values);
        try {
            client.putItem(r -> r.tableName(put.tableName()).item(put.item())
                    .conditionExpression(put.conditionExpression())
                    .expressionAttributeNames(put.expressionAttributeNames().isEmpty() ? null : put.expressionAttributeNames())
                    .expressionAttributeValues(put.expressionAttributeValues().isEmpty() ? null : put.expressionAttributeValues()));
            return true;
        } catch (ConditionalCheckFailedException failed) {
            return false;
        }
    }

    private Put put(Map<String, AttributeValue> item, String condition,
                    Map<String, String> names, Map<String, AttributeValue> values) {
        return Put.builder().tableName(tableName).item(item)
                .conditionExpression(condition)
                .expressionAttributeNames(names.isEmpty() ? null : names)
                .expressionAttributeValues(values.isEmpty() ? null : values)
                .build();
    }

    private void batchPut(List<Map<String, AttributeValue>> items) {
        for (int from = 0; from < items.size(); from += BATCH_WRITE_SIZE) {
            List<WriteRequest> requests = items.subList(from, Math.min(items.size(), from + BATCH_WRITE_SIZE)).stream()
                    .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
                    .toList();
            Map<String, List<WriteRequest>> pending = Map.of(tableName, requests);
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                Map<String, List<WriteRequest>> batch = pending;
                BatchWriteItemResponse response = client.batchWriteItem(r -> r.requestItems(batch));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
                if (!pending.isEmpty()) {
                    backOff(attempt);
                }
            }
        }
    }

    private static boolean cancelledByCondition(TransactionCanceledException cancelled) {
        return cancelled.hasCancellationReasons() && cancelled.cancellationReasons().stream()
                .map(CancellationReason::code)
                .anyMatch("ConditionalCheckFailed"::equals);
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(Math.min(200, 5L << Math.min(attempt, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a DynamoDB write", e);
        }
    }

    // --- mapping --------------------------------------------------------------------------------

    private Map<String, AttributeValue> executionItem(ExecutionRecord e) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, string(executionPk(e.executionArn())));
        item.put(SK, string(EXEC_SK));
        item.put("executionArn", string(e.executionArn()));
        item.put("stateMachineName", string(e.stateMachineName()));
        item.put("name", string(e.name()));
        item.put("status", string(e.status().name()));
        if (e.status() == ExecutionStatus.RUNNING) {
            item.put(RUNNING, string(ExecutionStatus.RUNNING.name()));
        }
        putText(item, "input", e.input());
        putText(item, "output", e.output());
        putText(item, "error", e.error());
        putText(item, "cause", e.cause());
        item.put("startDate", string(e.startDate().toString()));
        if (e.stopDate() != null) {
            item.put("stopDate", string(e.stopDate().toString()));
        }
        putText(item, "runtimeState", e.runtimeState() == null ? null : e.runtimeState().toJson());
        item.put("version", number(e.version()));
        return item;
    }

    private static ExecutionRecord toExecution(Map<String, AttributeValue> item) {
        return new ExecutionRecord(
                item.get("executionArn").s(),
                item.get("stateMachineName").s(),
                item.get("name").s(),
                ExecutionStatus.valueOf(item.get("status").s()),
                text(item, "input"),
                text(item, "output"),
                text(item, "error"),
                text(item, "cause"),
                Instant.parse(item.get("startDate").s()),
                item.containsKey("stopDate") ? Instant.parse(item.get("stopDate").s()) : null,
                runtimeState(text(item, "runtimeState")),
                Long.parseLong(item.get("version").n()));
    }

    private static Map<String, AttributeValue> eventItem(String executionArn, HistoryEvent event) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, string(executionPk(executionArn)));
        item.put(SK, string("EVT#%020d".formatted(event.id())));
        item.put("id", number(event.id()));
        item.put("previousEventId", number(event.previousEventId()));
        item.put("timestamp", string(event.timestamp().toString()));
        item.put("type", string(event.type()));
        if (event.details() != null) {
            putText(item, "details", writeJson(event.details()));
        }
        return item;
    }

    private static HistoryEvent toEvent(Map<String, AttributeValue> item) {
        String details = text(item, "details");
        return new HistoryEvent(
                Long.parseLong(item.get("id").n()),
                Long.parseLong(item.get("previousEventId").n()),
                Instant.parse(item.get("timestamp").s()),
                item.get("type").s(),
                details == null ? null : readJson(details));
    }

    private static Map<String, AttributeValue> tokenItem(TaskTokenRecord t) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, string(tokenPk(t.token())));
        item.put(SK, string(TOKEN_SK));
        item.put("token", string(t.token()));
        item.put("executionArn", string(t.executionArn()));
        putText(item, "runId", t.runId());
        item.put("attempt", number(t.attempt()));
        putText(item, "stateName", t.stateName());
        item.put("status", string(t.status().name()));
        putText(item, "output", t.output());
        putText(item, "error", t.error());
        putText(item, "cause", t.cause());
        if (t.createdAt() != null) {
            item.put("createdAt", string(t.createdAt().toString()));
        }
        return item;
    }

    private static TaskTokenRecord toToken(Map<String, AttributeValue> item) {
        return new TaskTokenRecord(
                item.get("token").s(),
                item.get("executionArn").s(),
                text(item, "runId"),
                Integer.parseInt(item.get("attempt").n()),
                text(item, "stateName"),
                TokenStatus.valueOf(item.get("status").s()),
                text(item, "output"),
                text(item, "error"),
                text(item, "cause"),
                item.containsKey("createdAt") ? Instant.parse(item.get("createdAt").s()) : null);
    }

    private static String executionPk(String executionArn) {
        return "EXEC#" + executionArn;
    }

    private static String tokenPk(String token) {
        return "TOKEN#" + token;
    }

    /** Stores text as S, or gzipped as B when long; null is left out. */
    private static void putText(Map<String, AttributeValue> item, String name, String value) {
        if (value == null) {
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= COMPRESS_OVER_BYTES) {
            item.put(name, string(value));
            return;
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(utf8.length / 4);
        try (GZIPOutputStream gzip = new GZIPOutputStream(buffer)) {
            gzip.write(utf8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        item.put(name, AttributeValue.fromB(SdkBytes.fromByteArray(buffer.toByteArray())));
    }

    private static RuntimeState runtimeState(String json) {
        return json == null ? null : RuntimeState.fromJson(json);
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null) {
            return null;
        }
        if (value.s() != null) {
            return value.s();
        }
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(value.b().asByteArray()))) {
            return new String(gzip.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("attribute " + name + " is neither text nor gzip", e);
        }
    }

    private static String writeJson(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored history details are not JSON", e);
        }
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, string(pk), SK, string(sk));
    }

    private static AttributeValue string(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
