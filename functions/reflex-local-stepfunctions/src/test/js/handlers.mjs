// The fixed set of deterministic task handlers used by the differential corpus.
// Each has a twin in DifferentialHandlers.java; the two must stay identical in behaviour.
//
//   echo                  returns its input unchanged
//   addOne                number -> number + 1; object -> copy with `value` + 1
//   upper                 upper-cases every string in its input, recursively
//   failTwiceThenSucceed  fails with TransientError on the first two calls for a given input,
//                         then returns {"attempts": 3, "input": <input>}
//   alwaysFail            always fails with CustomError

export class TaskError extends Error {
  constructor(name, cause) {
    super(cause);
    this.name = name;
  }
}

function upperAll(value) {
  if (typeof value === 'string') return value.toUpperCase();
  if (Array.isArray(value)) return value.map(upperAll);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, upperAll(v)]));
  }
  return value;
}

/** A fresh set of handlers: failTwiceThenSucceed counts calls per input within one execution. */
export function createHandlers() {
  const attempts = new Map();
  return {
    echo: async (input) => input,
    addOne: async (input) => {
      if (typeof input === 'number') return input + 1;
      if (input === null || typeof input !== 'object' || typeof input.value !== 'number') {
        throw new TaskError('InvalidInput', 'addOne needs a number or an object with a numeric "value"');
      }
      return { ...input, value: input.value + 1 };
    },
    upper: async (input) => upperAll(input),
    failTwiceThenSucceed: async (input) => {
      const key = JSON.stringify(input);
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      if (attempt <= 2) {
        throw new TaskError('TransientError', `attempt ${attempt} of 3 fails`);
      }
      return { attempts: attempt, input };
    },
    alwaysFail: async () => {
      throw new TaskError('CustomError', 'alwaysFail always fails');
    },
  };
}
