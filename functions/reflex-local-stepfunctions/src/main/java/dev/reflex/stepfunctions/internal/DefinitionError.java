package dev.reflex.stepfunctions.internal;

/** A definition problem found below state level; the parser adds the state name. */
final class DefinitionError extends RuntimeException {
    final String field;

    DefinitionError(String field, String problem) {
        super(problem, null, false, false);
        this.field = field;
    }
}
