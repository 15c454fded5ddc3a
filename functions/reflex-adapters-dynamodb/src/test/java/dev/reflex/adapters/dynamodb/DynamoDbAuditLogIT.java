package dev.reflex.adapters.dynamodb;

import static dev.reflex.adapters.dynamodb.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.model.AuditEntry;
import dev.reflex.domain.port.AuditLog;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

class DynamoDbAuditLogIT {

  @RegisterExtension static final LocalDynamoDbExtension dynamo = new LocalDynamoDbExtension();
  private static final AtomicInteger TABLES = new AtomicInteger();

  private final List<Object> requests = new CopyOnWriteArrayList<>();
  private DynamoDbAuditLog log;

  @BeforeEach
  void setUp() {
    String table = "audit-it-" + TABLES.incrementAndGet();
    dynamo.client().createTable(DynamoDbAuditLog.definition(table));
    log = new DynamoDbAuditLog(recording(dynamo.client()), table);
  }

  /** The real client, remembering every request object it is given. */
  private DynamoDbClient recording(DynamoDbClient real) {
    return (DynamoDbClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DynamoDbClient.class},
        (proxy, method, args) -> {
          if (args != null) {
            requests.addAll(Arrays.asList(args));
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void byIncident_afterAppend_returnsItsEntriesOldestFirst() {
    AuditEntry approved = new AuditEntry(T0.plusSeconds(5), "inc-1", "ana@example.com", "approval.approved", "ok");
    AuditEntry sent = new AuditEntry(T0.plusSeconds(9), "inc-1", "reflex", "execution.sent", "restart payment-api");
    AuditEntry other = new AuditEntry(T0, "inc-2", "reflex", "execution.sent", "x");

    log.append(sent);
    log.append(other);
    log.append(approved);

    assertThat(log.byIncident("inc-1")).containsExactly(approved, sent);
    assertThat(log.byIncident("inc-3")).isEmpty();
  }

  @Test
  void append_withTheSameTimeTwice_keepsBoth() {
    AuditEntry read = new AuditEntry(T0, "inc-1", "reflex", "secret.read", "db-password");

    log.append(read);
    log.append(read);

    assertThat(log.byIncident("inc-1")).containsExactly(read, read);
  }

  @Test
  void append_isAPutThatMayNotOverwrite() {
    log.append(new AuditEntry(T0, "inc-1", "reflex", "secret.read", "db-password"));

    assertThat(requests).filteredOn(PutItemRequest.class::isInstance).singleElement()
        .satisfies(r -> {
          PutItemRequest put = (PutItemRequest) r;
          assertThat(put.conditionExpression()).isEqualTo("attribute_not_exists(pk)");
          assertThat(put.item().get("pk").s()).isEqualTo("INC#inc-1");
          assertThat(put.item().get("sk").s()).startsWith("AT#2026-").matches("AT#[^#]+#[0-9a-f-]{36}");
        });
  }

  @Test
  void auditTrail_hasNoUpdateOrDeletePath() {
    assertThat(Arrays.stream(AuditLog.class.getMethods()).map(Method::getName))
        .containsExactlyInAnyOrder("append", "byIncident");
    assertThat(Arrays.stream(DynamoDbAuditLog.class.getDeclaredMethods()).map(Method::getName))
        .allSatisfy(name -> assertThat(name.toLowerCase()).doesNotContain("update").doesNotContain("delete")
            .doesNotContain("remove"));
  }
}
