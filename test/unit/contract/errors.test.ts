import { describe, expect, it } from 'vitest';
import { apiError, ApiError, CoreError, ERROR_CATALOG, fail, toApiError } from '../../../electron/core/contract';

describe('error catalog', () => {
  it('has a message and a remedy in both languages for every code', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
      expect(entry.message['zh-CN'], code).toMatch(/[\u4e00-\u9fff]/);
      expect(entry.message.en, code).toMatch(/[A-Za-z]/);
      expect(entry.remedy['zh-CN'], code).toMatch(/[\u4e00-\u9fff]/);
      expect(entry.remedy.en.length, code).toBeGreaterThan(10);
    }
  });

  it('fills placeholders in both languages and keeps the detail', () => {
    const e = apiError('ENGINE_NOT_RUNNING', { socket: '/run/x.sock' }, 'connect ECONNREFUSED');
    expect(e.message.en).toContain('/run/x.sock');
    expect(e.message['zh-CN']).toContain('/run/x.sock');
    expect(e.detail).toBe('connect ECONNREFUSED');
    expect(ApiError.parse(e)).toEqual(e);
  });

  it('turns a CoreError back into its value and anything else into INTERNAL', () => {
    expect(toApiError(fail('UNAUTHORIZED')).code).toBe('UNAUTHORIZED');
    const internal = toApiError(new TypeError('x is undefined'));
    expect(internal.code).toBe('INTERNAL');
    expect(internal.detail).toBe('x is undefined');
    expect(fail('INTERNAL')).toBeInstanceOf(CoreError);
  });
});
