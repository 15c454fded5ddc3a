package dev.reflex.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reflex.domain.port.ActionCounters.Cooldown;
import dev.reflex.domain.port.ActionCounters.CoolingDown;
import dev.reflex.domain.port.ActionCounters.Limit;
import dev.reflex.domain.port.ActionCounters.LimitReached;
import dev.reflex.domain.port.ActionCounters.Reservation;
import dev.reflex.domain.port.ActionCounters.Reserved;
import dev.reflex.domain.port.ActionCounters.Slots;
import dev.reflex.domain.port.ActionCounters.Usage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rate limits and cooldowns on DynamoDB Local: usage read at once, reservations all or nothing. */
class DynamoDbActionCountersIT {

  @RegisterExtension
  static LocalDynamoDbExtension dynamo = new LocalDynamoDbExtension();

  private static final AtomicInteger TABLES = new AtomicInteger();

  /** A clock the test moves by hand. */
  static final class TestClock extends java.time.Clock {
    private final java.util.concurrent.atomic.AtomicReference<Instant> now;

    TestClock(Instant start) {
      now = new java.util.concurrent.atomic.AtomicReference<>(start);
    }

    void set(Instant instant) {
      now.set(instant);
    }

    void advance(Duration by) {
      now.updateAndGet(i -> i.plus(by));
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  private final TestClock clock = new TestClock(Instant.parse("2025-03-14T09:26:53Z"));
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Instant NEXT_HOUR = Instant.parse("2025-03-14T10:00:00Z");

  private DynamoDbActionCounters counters;
  private String table;

  @BeforeEach
  void tables() {
    table = "it-counters-" + TABLES.incrementAndGet();
    dynamo.client().createTable(DynamoDbActionCounters.definition(table));
    counters = new DynamoDbActionCounters(dynamo.client(), table, clock);
  }

  private static Limit limit(String scope, String key, int limit) {
    return new Limit(scope, key, limit, HOUR);
  }

  private static Slots slots(Limit... limits) {
    return new Slots(List.of(limits), null);
  }

  private static Slots cooldown(String key, Duration duration) {
    return new Slots(List.of(), new Cooldown(key, duration));
  }

  @Test
  void reserve_twentyConcurrentCallersOnLimitFive_exactlyFiveReserve() throws Exception {
    Limit perService = limit("per_service", "payment-api", 5);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Reservation>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return counters.reserve(slots(perService));
        }));
      }
      start.countDown();
      List<Reservation> done = new ArrayList<>();
      for (Future<Reservation> result : results) {
        done.add(result.get());
      }
      assertThat(done).filteredOn(r -> r instanceof Reserved).hasSize(5);
      assertThat(done).filteredOn(r -> r instanceof LimitReached).hasSize(15)
          .allSatisfy(r -> assertThat(r).isEqualTo(new LimitReached(perService, NEXT_HOUR)));
      assertThat(counters.usage(slots(perService)).taken(perService)).isEqualTo(5);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void reserve_twentyConcurrentCallersOnTwoLimits_neverTakesASlotOfOneWithoutTheOther() throws Exception {
    Limit global = limit("global", "all", 7);
    Limit perService = limit("per_service", "payment-api", 4);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Reservation>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return counters.reserve(slots(global, perService));
        }));
      }
      start.countDown();
      int reserved = 0;
      for (Future<Reservation> result : results) {
        reserved += result.get() instanceof Reserved ? 1 : 0;
      }
      Usage usage = counters.usage(slots(global, perService));
      assertThat(reserved).isEqualTo(4);
      assertThat(usage.taken(global)).isEqualTo(4);
      assertThat(usage.taken(perService)).isEqualTo(4);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void reserve_severalSlotsAtOnce_takesThemAllOrNoneWhenTheWindowLacksRoom() {
    Limit perService = limit("per_service", "payment-api", 4);
    counters.reserve(slots(perService));

    Reservation tooMany = counters.reserve(new Slots(List.of(perService), null, 4));
    Reservation three = counters.reserve(new Slots(List.of(perService), null, 3));
    Reservation one = counters.reserve(slots(perService));

    assertThat(tooMany).as("1 taken + 4 > 4: nothing taken").isEqualTo(new LimitReached(perService, NEXT_HOUR));
    assertThat(three).isInstanceOf(Reserved.class);
    assertThat(counters.usage(slots(perService)).taken(perService)).isEqualTo(4);
    assertThat(one).isEqualTo(new LimitReached(perService, NEXT_HOUR));
  }

  @Test
  void reserve_moreSlotsThanTheWholeWindowHolds_isRefusedWithoutAsking() {
    Limit perService = limit("per_service", "payment-api", 2);

    Reservation refused = counters.reserve(new Slots(List.of(perService), null, 3));

    assertThat(refused).isEqualTo(new LimitReached(perService, NEXT_HOUR));
    assertThat(counters.usage(slots(perService)).taken(perService)).isZero();
  }

  @Test
  void reserve_whenASecondLimitIsFull_takesNothingAndNamesIt() {
    Limit global = limit("global", "all", 5);
    Limit perPlaybook = limit("per_playbook", "db-pool", 1);
    counters.reserve(slots(perPlaybook));

    Reservation refused = counters.reserve(slots(global, perPlaybook));

    assertThat(refused).isEqualTo(new LimitReached(perPlaybook, NEXT_HOUR));
    assertThat(counters.usage(slots(global)).taken(global)).isZero();
  }

  @Test
  void reserve_limitsAndCooldownInOneTransaction() {
    Slots slots = new Slots(List.of(limit("global", "all", 5), limit("per_service", "payment-api", 5)),
        new Cooldown("payment-api|db-pool", Duration.ofMinutes(15)));
    dynamo.calls().reset();

    assertThat(counters.reserve(slots)).isEqualTo(new Reserved(Instant.parse("2025-03-14T09:41:53Z")));

    assertThat(dynamo.calls().snapshot()).isEqualTo(java.util.Map.of("TransactWriteItems", 1L));
  }

  @Test
  void reserve_singleSlot_isOneUpdateItem() {
    dynamo.calls().reset();

    assertThat(counters.reserve(slots(limit("global", "all", 5)))).isEqualTo(new Reserved(null));

    assertThat(dynamo.calls().snapshot()).isEqualTo(java.util.Map.of("UpdateItem", 1L));
  }

  @Test
  void reserve_nextWindow_startsAgain() {
    Limit global = limit("global", "all", 1);
    assertThat(counters.reserve(slots(global))).isInstanceOf(Reserved.class);
    assertThat(counters.reserve(slots(global))).isInstanceOf(LimitReached.class);

    clock.set(NEXT_HOUR);

    assertThat(counters.reserve(slots(global))).isInstanceOf(Reserved.class);
    assertThat(counters.usage(slots(global)).taken(global)).isEqualTo(1);
  }

  @Test
  void reserve_keysAndScopesAreIndependent() {
    assertThat(counters.reserve(slots(limit("per_service", "a", 1)))).isInstanceOf(Reserved.class);
    assertThat(counters.reserve(slots(limit("per_service", "b", 1)))).isInstanceOf(Reserved.class);
    assertThat(counters.reserve(slots(limit("per_playbook", "a", 1)))).isInstanceOf(Reserved.class);
  }

  @Test
  void reserve_limitZero_isAlwaysRefused() {
    assertThat(counters.reserve(slots(limit("global", "all", 0)))).isInstanceOf(LimitReached.class);
  }

  @Test
  void reserve_setsTtlOneWindowAfterTheReset() {
    counters.reserve(slots(limit("global", "all", 3)));
    var item = dynamo.client().scan(r -> r.tableName(table)).items().get(0);
    assertThat(item.get("ttl").n()).isEqualTo(Long.toString(Instant.parse("2025-03-14T11:00:00Z").getEpochSecond()));
  }

  @Test
  void reserve_cooldownWhileRunning_isRefusedWithItsEnd_thenStartsAgain() {
    Instant end = Instant.parse("2025-03-14T09:41:53Z");
    Slots cooling = cooldown("payment-api|db-pool", Duration.ofMinutes(15));
    assertThat(counters.reserve(cooling)).isEqualTo(new Reserved(end));
    clock.advance(Duration.ofMinutes(5));
    assertThat(counters.reserve(cooling)).isEqualTo(new CoolingDown("payment-api|db-pool", end));
    clock.set(end);
    assertThat(counters.reserve(cooling)).isInstanceOf(Reserved.class);
  }

  @Test
  void reserve_cooldownRunningWithALimit_takesNoSlot() {
    Limit global = limit("global", "all", 5);
    Slots slots = new Slots(List.of(global), new Cooldown("svc|pb", Duration.ofMinutes(10)));
    counters.reserve(cooldown("svc|pb", Duration.ofMinutes(10)));

    assertThat(counters.reserve(slots)).isEqualTo(new CoolingDown("svc|pb", Instant.parse("2025-03-14T09:36:53Z")));
    assertThat(counters.usage(slots).taken(global)).isZero();
  }

  @Test
  void reserve_concurrentCooldowns_exactlyOneStarts() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(10);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Reservation>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return counters.reserve(cooldown("svc|pb", Duration.ofMinutes(10)));
        }));
      }
      start.countDown();
      int started = 0;
      for (Future<Reservation> result : results) {
        started += result.get() instanceof Reserved ? 1 : 0;
      }
      assertThat(started).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void usage_readsEveryLimitAndTheCooldownWithOneBatchGetItem() {
    Limit global = limit("global", "all", 5);
    Limit perService = limit("per_service", "payment-api", 5);
    Slots slots = new Slots(List.of(global, perService), new Cooldown("payment-api|db-pool", Duration.ofMinutes(15)));
    counters.reserve(slots);
    clock.advance(Duration.ofMinutes(1));
    counters.reserve(slots(global));
    dynamo.calls().reset();

    Usage usage = counters.usage(slots);

    assertThat(usage.taken(global)).isEqualTo(2);
    assertThat(usage.taken(perService)).isEqualTo(1);
    assertThat(usage.cooldownUntil()).isEqualTo(Instant.parse("2025-03-14T09:41:53Z"));
    assertThat(usage.coolingDown(clock.instant())).isTrue();
    assertThat(dynamo.calls().snapshot()).isEqualTo(java.util.Map.of("BatchGetItem", 1L));
  }

  @Test
  void usage_ofUnusedSlots_isZeroWithoutCooldown() {
    Limit global = limit("global", "all", 5);

    Usage usage = counters.usage(new Slots(List.of(global), new Cooldown("svc|pb", Duration.ofMinutes(1))));

    assertThat(usage.taken(global)).isZero();
    assertThat(usage.cooldownUntil()).isNull();
  }
}
