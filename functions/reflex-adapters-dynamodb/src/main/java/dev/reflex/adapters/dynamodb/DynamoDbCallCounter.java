package dev.reflex.adapters.dynamodb;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts DynamoDB API calls per operation ({@code GetItem}, {@code TransactWriteItems}, ...).
 * One call counts once however many times the SDK retried it. Thread-safe.
 */
public final class DynamoDbCallCounter implements ExecutionInterceptor {

  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    calls.computeIfAbsent(operation == null ? "unknown" : operation, k -> new LongAdder()).increment();
  }

  /** Calls of one operation, by its API name such as {@code "PutItem"}. */
  public long count(String operation) {
    LongAdder adder = calls.get(operation);
    return adder == null ? 0 : adder.sum();
  }

  public long total() {
    return calls.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Calls per operation, sorted by operation name; operations never called are absent. */
  public Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    calls.forEach((operation, adder) -> {
      long sum = adder.sum();
      if (sum > 0) {
        copy.put(operation, sum);
      }
    });
    return copy;
  }

  public void reset() {
    calls.values().forEach(LongAdder::reset);
  }

  @Override
  public String toString() {
    return "DynamoDbCallCounter" + snapshot();
  }
}
