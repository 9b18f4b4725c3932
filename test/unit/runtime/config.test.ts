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
    expect(config.credentials.lockout).toEqual({ maxConsecutiveFailures: 5, baseLockSeconds: 900, maxLockSeconds: 86_400, maxFailuresPerDay: 25 });
    expect(config.credentials.perIp).toEqual({ maxFailures: 100, windowSeconds: 900 });
    expect(Object.isFrozen(config.credentials.lockout)).toBe(true);
  });

  it('names the missing variable', () => {
    const { TABLE_NAME: _t, ...missing } = base;
    expect(() => parseConfig(missing)).toThrow(/TABLE_NAME/);
  });

  it('refuses argon2 parameters below the OWASP minimum and locks shorter than 15 minutes', () => {
    expect(() => parseConfig({ ...base, ARGON2_MEMORY_KIB: '8192' })).toThrow(/ARGON2_MEMORY_KIB/);
    expect(() => parseConfig({ ...base, LOCKOUT_BASE_SECONDS: '60' })).toThrow(/LOCKOUT_BASE_SECONDS/);
  });

  it('requires the KMS keys and the signing secret on AWS', () => {
    expect(() => parseConfig({ ...base, KEYS_SOURCE: 'aws' })).toThrow(/NIR_LOOKUP_KMS_KEY_ID.*CODE_PEPPER_KMS_KEY_ID.*JWT_SIGNING_SECRET_ID/);
  });
});
