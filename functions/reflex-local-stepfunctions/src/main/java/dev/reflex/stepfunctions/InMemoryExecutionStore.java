package dev.reflex.stepfunctions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ExecutionStore} in memory, for the embedded runtime and tests. Share one instance between
 * two {@link LocalStepFunctions} to simulate a process restart.
 */
public final class InMemoryExecutionStore implements ExecutionStore {
    private final Map<String, ExecutionRecord> executions = new HashMap<>();
    private final Map<String, List<HistoryEvent>> histories = new HashMap<>();
    private final Map<String, TaskTokenRecord> tokens = new HashMap<>();

    @Override
    public synchronized boolean create(ExecutionRecord execution, List<HistoryEvent> events) {
        if (executions.containsKey(execution.executionArn())) {
            return false;
        }
        executions.put(execution.executionArn(), execution);
        histories.put(execution.executionArn(), new ArrayList<>(events));
        return true;
    }

    @Override
    public synchronized Optional<ExecutionRecord> find(String executionArn) {
        return Optional.ofNullable(executions.get(executionArn));
    }

    @Override
    public synchronized boolean update(ExecutionRecord execution, long expectedVersion, List<HistoryEvent> events) {
        ExecutionRecord current = executions.get(execution.executionArn());
        if (current == null || current.version() != expectedVersion) {
            return false;
        }
        executions.put(execution.executionArn(), execution);
        histories.get(execution.executionArn()).addAll(events);
        return true;
    }

    @Override
    public synchronized List<HistoryEvent> history(String executionArn) {
        return List.copyOf(histories.getOrDefault(executionArn, List.of()));
    }

    @Override
    public synchronized List<String> runningExecutions() {
        return executions.values().stream()
                .filter(e -> e.status() == ExecutionStatus.RUNNING)
                .map(ExecutionRecord::executionArn)
                .toList();
    }

    @Override
    public synchronized boolean putToken(TaskTokenRecord token) {
        return tokens.putIfAbsent(token.token(), token) == null;
    }

    @Override
    public synchronized Optional<TaskTokenRecord> findToken(String token) {
        return Optional.ofNullable(tokens.get(token));
    }

    @Override
    public synchronized boolean updateToken(TaskTokenRecord token, TokenStatus expectedStatus) {
        TaskTokenRecord current = tokens.get(token.token());
        if (current == null || current.status() != expectedStatus) {
            return false;
        }
        tokens.put(token.token(), token);
        return true;
    }
}
