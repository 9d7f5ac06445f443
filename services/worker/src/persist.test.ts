import type { ExecutionState } from '@wormhole/dsl';
import { initialState } from '@wormhole/dsl';
import { withFoldedStatus } from './persist';

const state = (status: ExecutionState['status']): ExecutionState => ({ ...initialState(), status });

describe('withFoldedStatus', () => {
  it('takes running or waiting from the fold: a late timeout timer firing does not make a waiting run look running', () => {
    expect(withFoldedStatus({ status: 'running' }, state('waiting'))).toEqual({ status: 'waiting' });
    expect(withFoldedStatus({ status: 'waiting', current_task: '/do/0/a' }, state('running'))).toEqual({
      status: 'running',
      current_task: '/do/0/a',
    });
  });

  it('keeps the projection’s terminal statuses and patches without a status as they are', () => {
    const faulted = { status: 'faulted' as const, completed_at: '2026-01-01T00:00:00.000Z' };
    expect(withFoldedStatus(faulted, state('running'))).toBe(faulted);
    expect(withFoldedStatus({ status: 'running' }, state('completed'))).toEqual({ status: 'running' });
    const empty = {};
    expect(withFoldedStatus(empty, state('waiting'))).toBe(empty);
  });
});
