import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../../lambdas/runtime/config.ts';

const base = {
  TABLE_NAME: 'members',
  KEYS_SOURCE: 'local',
  LOCAL_KEYS_DIR: '/keys',
  JWT_ISSUER: 'https://auth.example',
  JWT_AUDIENCE: 'member-portal',
  PORTAL_ORIGINS: 'https://portal.example, https://www.portal.example',
  PORTAL_BASE_URL: 'https://portal.example',
  MAIL_FROM: 'no-reply@portal.example',
};

describe('configuration', () => {
  it('parses once into a frozen object with the contract defaults', () => {
    const config = parseConfig(base);
    expect(config.portalOrigins).toEqual(['https://portal.example', 'https://www.portal.example']);
    expect(config.credentials.lockout).toEqual({
      maxConsecutiveFailures: 5,
      baseLockSeconds: 900,
      maxLockSeconds: 86_400,
      maxFailuresPerDay: 25,
    });
    expect(config.credentials.perIp).toEqual({ maxEvents: 100, windowSeconds: 900 });
    expect(Object.isFrozen(config.credentials.lockout)).toBe(true);
  });

  it('new-device verification is on by default; only "true" or "false" turn it', () => {
    expect(parseConfig(base).newDeviceVerification).toBe(true);
    expect(parseConfig({ ...base, NEW_DEVICE_VERIFICATION: 'false' }).newDeviceVerification).toBe(false);
    expect(() => parseConfig({ ...base, NEW_DEVICE_VERIFICATION: 'no' })).toThrow(/NEW_DEVICE_VERIFICATION/);
  });

  it('names the missing variable', () => {
    const { TABLE_NAME: _t, ...missing } = base;
    expect(() => parseConfig(missing)).toThrow(/TABLE_NAME/);
  });

  it('refuses argon2 parameters below the OWASP minimum and locks shorter than 15 minutes', () => {
    expect(() => parseConfig({ ...base, ARGON2_MEMORY_KIB: '8192' })).toThrow(/ARGON2_MEMORY_KIB/);
    expect(() => parseConfig({ ...base, LOCKOUT_BASE_SECONDS: '60' })).toThrow(/LOCKOUT_BASE_SECONDS/);
  });

  it('requires the KMS keys and the token signing keys’ aliases on AWS', () => {
    expect(() => parseConfig({ ...base, KEYS_SOURCE: 'aws' })).toThrow(
      /NIR_LOOKUP_KMS_KEY_ID.*CODE_PEPPER_KMS_KEY_ID.*TOKEN_SIGNING_KEY_ALIAS.*TOKEN_SIGNING_PREVIOUS_KEY_ALIAS/,
    );
  });

  it('refuses a lockout outside the CNIL envelope: more than 10 consecutive failures or 25 a day', () => {
    expect(() => parseConfig({ ...base, LOCKOUT_MAX_FAILURES_PER_DAY: '1000' })).toThrow(
      /LOCKOUT_MAX_FAILURES_PER_DAY/,
    );
    expect(() => parseConfig({ ...base, LOCKOUT_MAX_CONSECUTIVE_FAILURES: '11' })).toThrow(
      /LOCKOUT_MAX_CONSECUTIVE_FAILURES/,
    );
    expect(
      parseConfig({ ...base, LOCKOUT_MAX_CONSECUTIVE_FAILURES: '10', LOCKOUT_MAX_FAILURES_PER_DAY: '25' }).credentials
        .lockout,
    ).toMatchObject({
      maxConsecutiveFailures: 10,
      maxFailuresPerDay: 25,
    });
  });

  it('keeps refusals for 30 days and the rest for a year, unless configured', () => {
    expect(parseConfig(base).auditRetentionDays).toEqual({ keep: 365, short: 30 });
    expect(parseConfig({ ...base, AUDIT_SHORT_RETENTION_DAYS: '14' }).auditRetentionDays.short).toBe(14);
  });
});
