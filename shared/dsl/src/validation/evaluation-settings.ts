import type { ErrorDetail } from '@wormhole/interfaces';

/**
 * The workflow's `evaluate` section (DSL 1.0.3) names the expression language and mode. Wormhole
 * evaluates jq in strict mode only (`${ … }` marks an expression); a document asking for another
 * language, or for loose mode (every string is tried as an expression), would otherwise run with
 * its expressions silently read the wrong way, so it is refused when it is created.
 */
export function unsupportedEvaluation(doc: Readonly<Record<string, unknown>>): ErrorDetail[] {
  const evaluate = doc.evaluate;
  if (evaluate === null || typeof evaluate !== 'object' || Array.isArray(evaluate)) return [];
  const { language, mode } = evaluate as { language?: unknown; mode?: unknown };
  const details: ErrorDetail[] = [];
  if (language !== undefined && language !== 'jq') {
    details.push({
      path: '/evaluate/language',
      message: `expression language ${JSON.stringify(language)} is not supported; Wormhole evaluates jq`,
    });
  }
  if (mode !== undefined && mode !== 'strict') {
    details.push({
      path: '/evaluate/mode',
      message: `evaluation mode ${JSON.stringify(mode)} is not supported; Wormhole evaluates in strict mode (\${ … } marks an expression)`,
    });
  }
  return details;
}
