package dev.reflex.stepfunctions;

/** Life cycle of a task token. Only a {@code WAITING} token may move, and only once. */
public enum TokenStatus {
    WAITING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED
}
