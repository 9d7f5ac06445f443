import type { JsonObject, JsonValue } from '@wormhole/interfaces';
import { resolveAuthenticationReferences } from './authentications';
import { draft } from './events';
import type { EventDraft } from './events';
import { evaluateValue } from './expressions';
import type { ResourceRequest } from './resources';
import { RESOURCES_CALL, RESOURCES_PATH, missingResources } from './resources';
import type { StepContext } from './scope';
import { workflowArguments } from './scope';
import { faultOf } from './task-events';

/**
 * The `task.requested` that asks the executor for the documents the run still needs (none: no
 * event). The endpoints' authentication is resolved like a call's (`use.authentications`,
 * expressions over the workflow input, `$secrets` left as placeholders for the executor), so a
 * catalog behind credentials is read with them and the history never holds a secret.
 */
export function requestResources(ctx: StepContext): EventDraft[] {
  const resources = ctx.state.resources ?? {};
  const missing = missingResources(ctx.document, resources);
  if (missing.length === 0) return [];
  let asked: JsonValue[];
  try {
    asked = missing.map((request) => withAuthentication(ctx, request));
  } catch (e) {
    return [draft('io.wormhole.execution.faulted', { error: faultOf(e, '/use') })];
  }
  return [
    draft('io.wormhole.task.requested', {
      task_path: RESOURCES_PATH,
      task_name: 'resources',
      task_type: 'call',
      attempt: (ctx.state.resourceRounds ?? 0) + 1,
      input: null,
      task: { call: RESOURCES_CALL, with: { resources: asked } },
    }),
  ];
}

function withAuthentication(ctx: StepContext, request: ResourceRequest): JsonObject {
  const endpoint = resolveAuthenticationReferences(ctx.document, request.endpoint);
  const evaluated =
    typeof endpoint === 'string'
      ? endpoint
      : evaluateValue(ctx.evaluator, endpoint, ctx.state.input, workflowArguments(ctx, ctx.state.context));
  return { uri: request.uri, kind: request.kind, endpoint: evaluated };
}
