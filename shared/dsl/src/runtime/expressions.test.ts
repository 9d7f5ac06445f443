import { DSL_ERROR_TYPES } from '@wormhole/interfaces';
import { ExpressionError } from './errors';
import type { ExpressionEvaluator } from './expressions';
import { evaluateCondition, evaluateField, evaluateValue, expressionBody, isRuntimeExpression } from './expressions';
import { JqWasmEvaluator } from './jq-wasm-evaluator';

let jq: ExpressionEvaluator;
beforeAll(async () => {
  jq = await JqWasmEvaluator.create();
});

describe('runtime expression syntax (strict mode)', () => {
  it.each([
    ['${ .a }', true],
    ['  ${.a}  ', true],
    ['${\n  .a\n}', true],
    ['.a', false],
    ['Hello ${ .name }!', false],
    ['${ .a', false],
  ])('%j is an expression: %s', (text, expected) => {
    expect(isRuntimeExpression(text)).toBe(expected);
  });

  it('strips the wrapper, and leaves a bare program as it is', () => {
    expect(expressionBody('${ .a + 1 }')).toBe('.a + 1');
    expect(expressionBody(' .order.pet ')).toBe('.order.pet');
  });
});

describe('evaluateValue', () => {
  it('evaluates whole-string expressions anywhere in objects and arrays, and keeps the rest', () => {
    const value = {
      shape: 'circle',
      size: '${ .size }',
      tags: ['fixed', '${ .tags[0] }', { deep: '${ $context.user }' }],
      note: 'Hello ${ .name }!',
      count: 3,
      flag: false,
      nothing: null,
    };
    const result = evaluateValue(jq, value, { size: 6, tags: ['t1'], name: 'x' }, { context: { user: 'ana' } });
    expect(result).toEqual({
      shape: 'circle',
      size: 6,
      tags: ['fixed', 't1', { deep: 'ana' }],
      note: 'Hello ${ .name }!',
      count: 3,
      flag: false,
      nothing: null,
    });
  });

  it('binds every runtime argument, null when not given', () => {
    const args = {
      context: { c: 1 },
      input: { i: 2 },
      output: { o: 3 },
      secrets: { s: 4 },
      task: { name: 't' },
      workflow: { id: 'ex_1' },
      runtime: { name: 'wormhole' },
    };
    const program =
      '${ [$context.c, $input.i, $output.o, $secrets.s, $task.name, $workflow.id, $runtime.name, $authorization] }';
    expect(evaluateValue(jq, program, null, args)).toEqual([1, 2, 3, 4, 't', 'ex_1', 'wormhole', null]);
  });
});

describe('evaluateField', () => {
  it('treats a string as a jq program, wrapped or not', () => {
    expect(evaluateField(jq, '.order.pet', { order: { pet: 'rex' } }, {})).toBe('rex');
    expect(evaluateField(jq, '${ .order.pet }', { order: { pet: 'rex' } }, {})).toBe('rex');
  });

  it('treats an object as a value with expressions inside', () => {
    expect(evaluateField(jq, { petId: '${ .pet.id }', kind: 'pet' }, { pet: { id: 7 } }, {})).toEqual({
      petId: 7,
      kind: 'pet',
    });
  });

  it('maps no output to null and several outputs to an array', () => {
    expect(evaluateField(jq, 'empty', {}, {})).toBeNull();
    expect(evaluateField(jq, '.[] | . * 2', [1, 2, 3], {})).toEqual([2, 4, 6]);
  });
});

describe('evaluateCondition', () => {
  it.each([
    ['.x', { x: true }, true],
    ['.x', { x: false }, false],
    ['.x', {}, false],
    ['.x', { x: 0 }, true],
    ['.x', { x: '' }, true],
    ['.color == "red"', { color: 'red' }, true],
  ])('%s on %j is %s (jq truthiness)', (condition, input, expected) => {
    expect(evaluateCondition(jq, condition, input, {})).toBe(expected);
  });
});

describe('expression errors', () => {
  it.each([
    ['a syntax error', '${ .a | }'],
    ['a runtime error', '${ .a + 1 }'],
    ['error()', '${ error("boom") }'],
    ['an empty program', '${ }'],
  ])('%s becomes the DSL expression error', (_, expression) => {
    let caught: unknown;
    try {
      evaluateValue(jq, expression, { a: 'text' }, {});
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ExpressionError);
    const { error } = caught as ExpressionError;
    expect(error.type).toBe(DSL_ERROR_TYPES.expression.type);
    expect(error.status).toBe(400);
    expect(error.detail).toEqual(expect.any(String));
  });

  it('keeps jq’s message without the command-line decoration', () => {
    expect(() => evaluateValue(jq, '${ error("boom") }', null, {})).toThrow(/^boom$/);
  });
});
