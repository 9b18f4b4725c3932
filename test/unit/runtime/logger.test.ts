import { describe, expect, it, jest } from '@jest/globals';
import { logger } from '../../../lambdas/runtime/logger.ts';

describe('the log lines', () => {
  it('stops log injection: a newline in a field cannot start a forged line; each line is one JSON object stamped in UTC', () => {
    const lines: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      logger.info('request', { userAgent: 'x\n{"level":"info","message":"LOGIN_SUCCEEDED"}' });
    } finally {
      spy.mockRestore();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]!.trimEnd().split('\n')).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { message: string; time: string; userAgent: string };
    expect(entry.message).toBe('request');
    expect(entry.userAgent).toContain('LOGIN_SUCCEEDED');
    expect(entry.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
