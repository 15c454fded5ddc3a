// Runs ASL definitions with aws-local-stepfunctions, an independent implementation of the
// Amazon States Language, so that the differential test can compare it with Reflex's runtime.
//
//   node run-asl.mjs <tools-dir> <case-dir>...
//
// <tools-dir> is .ci/.tools (where .ci/node-tools.sh installed the npm packages). Each <case-dir>
// holds definition.asl.json and input.json. One JSON line is printed per case, in order:
//   {"case":"<dir name>","status":"SUCCEEDED","output":<json>}
//   {"case":"<dir name>","status":"FAILED","error":"<name>","cause":"<text>"}
// Exit code 0 when every case ran (whatever its outcome), 1 when the runner itself could not run one.
//
// Every Task resource arn:aws:lambda:<region>:<account>:function:NAME is overridden with the local
// handler NAME from handlers.mjs; every Wait and every Retry pause is made instant.
//
// A case directory may also hold responses.json, {"<function name>": <result>, ...} or
// {"<function name>": {"$error": {"error": "...", "cause": "..."}}}: then every function answers with
// its canned result instead (a function without one fails with Differential.UnexpectedCall) (used for the project's own state machines). Resources
// arn:aws:states:::lambda:invoke[.waitForTaskToken] take the function from Parameters.FunctionName;
// the plain integration wraps the result as Lambda's Invoke does ({"ExecutedVersion", "Payload",
// "StatusCode"}), the callback one returns it as the callback output (this library does not pause).
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHandlers, TaskError } from './handlers.mjs';

const LAMBDA_ARN = /^arn:aws:lambda:[^:]*:[^:]*:function:([^:]+)(:[^:]+)?$/;
const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_INVOKE_CALLBACK = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** The function a Task calls and whether its result comes back wrapped as Lambda Invoke's response. */
function taskTarget(name, state) {
  if (state.Resource === LAMBDA_INVOKE || state.Resource === LAMBDA_INVOKE_CALLBACK) {
    const match = LAMBDA_ARN.exec(state.Parameters?.FunctionName ?? '');
    if (!match) throw new Error(`state '${name}': Parameters.FunctionName must be a Lambda ARN`);
    return { functionName: match[1], wrap: state.Resource === LAMBDA_INVOKE };
  }
  const match = LAMBDA_ARN.exec(state.Resource);
  if (!match) throw new Error(`state '${name}': unsupported resource ${state.Resource}`);
  return { functionName: match[1], wrap: false };
}

function cannedHandlers(responses) {
  return new Proxy({}, {
    get(_, functionName) {
      return async () => {
        if (!(functionName in responses)) {
          throw new TaskError('Differential.UnexpectedCall', `responses.json has no answer for ${functionName}`);
        }
        const response = responses[functionName];
        if (response !== null && typeof response === 'object' && '$error' in response) {
          throw new TaskError(response.$error.error, response.$error.cause);
        }
        return structuredClone(response);
      };
    },
  });
}

/** Visits every state of a definition, including those nested in Parallel branches and Map processors. */
function* allStates(definition) {
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    yield [name, state];
    for (const branch of state.Branches ?? []) yield* allStates(branch);
    const processor = state.ItemProcessor ?? state.Iterator;
    if (processor) yield* allStates(processor);
  }
}

function overridesFor(definition, handlers) {
  const taskResourceLocalHandlers = {};
  const waitTimeOverrides = {};
  const retryIntervalOverrides = {};
  for (const [name, state] of allStates(definition)) {
    // the library keys overrides by state name alone, so nested names must not repeat
    if (name in taskResourceLocalHandlers || name in waitTimeOverrides) {
      throw new Error(`state name '${name}' is used twice; the corpus needs unique state names`);
    }
    if (state.Type === 'Task') {
      const { functionName, wrap } = taskTarget(name, state);
      const handler = handlers[functionName];
      if (!handler) throw new Error(`state '${name}': no local handler named '${functionName}'`);
      taskResourceLocalHandlers[name] = wrap
        ? async (input) => ({ ExecutedVersion: '$LATEST', Payload: await handler(input.Payload), StatusCode: 200 })
        : handler;
    }
    if (state.Type === 'Wait') waitTimeOverrides[name] = 0;
    if (state.Retry) retryIntervalOverrides[name] = 0;
  }
  return { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides };
}

async function readJsonIfPresent(file) {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  }
}

async function runCase(StateMachine, ExecutionError, caseDir) {
  const definition = JSON.parse(await readFile(join(caseDir, 'definition.asl.json'), 'utf8'));
  const input = JSON.parse(await readFile(join(caseDir, 'input.json'), 'utf8'));
  const responses = await readJsonIfPresent(join(caseDir, 'responses.json'));
  const overrides = overridesFor(definition, responses === undefined ? createHandlers() : cannedHandlers(responses));
  const machine = new StateMachine(definition, { validationOptions: { checkArn: true, checkPaths: true } });
  try {
    // $$.Task.Token must resolve for callback tasks; its value never reaches the outcome (canned answers ignore it)
    const context = { Task: { Token: 'differential-task-token' } };
    const output = await machine.run(input, { overrides, context }).result;
    return { status: 'SUCCEEDED', output: output === undefined ? null : output };
  } catch (e) {
    if (!(e instanceof ExecutionError)) throw e;
    const failure = e.cause;
    const cause = typeof failure.cause === 'string' ? failure.cause : failure.message;
    return { status: 'FAILED', error: failure.name, cause };
  }
}

const [toolsDir, ...caseDirs] = process.argv.slice(2);
if (!toolsDir || caseDirs.length === 0) {
  console.error('usage: node run-asl.mjs <tools-dir> <case-dir>...');
  process.exit(1);
}
const library = join(toolsDir, 'node_modules', 'aws-local-stepfunctions', 'build', 'main.node.esm.js');
const { StateMachine, ExecutionError } = await import(pathToFileURL(library).href);
let broken = 0;
for (const caseDir of caseDirs) {
  const name = basename(caseDir);
  try {
    const outcome = await runCase(StateMachine, ExecutionError, caseDir);
    process.stdout.write(JSON.stringify({ case: name, ...outcome }) + '\n');
  } catch (e) {
    broken++;
    process.stdout.write(JSON.stringify({ case: name, status: 'RUNNER_ERROR', error: e.name, cause: String(e.message) }) + '\n');
  }
}
process.exit(broken === 0 ? 0 : 1);
