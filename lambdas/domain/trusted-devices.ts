import { deviceLabel } from './device-label.ts';
import type { Language } from './language.ts';
import type { AttemptCounter } from './lockout.ts';
import { isBindingStillValid, type Member } from './member.ts';
import type { MemberMail } from './member-mail.ts';
import type { Clock, SecurityEvents } from './ports.ts';
import { isSecret, newId, newSecret, secretHash } from './random-secrets.ts';
import type { RequestSource } from './request-source.ts';
import type { SessionRevoker } from './sessions.ts';

/**
 * A browser the member has proved (a mailed code, or a letter's or statement's code): an opaque
 * random cookie, stored only as its hash, bound to the member's `codeVersion` — a code change, a
 * reset or a deactivation moves it, and every device of the member is forgotten at that instant.
 */
export interface TrustedDeviceRecord {
  /** Public, random: what the member's list and `DELETE /v1/me/devices/{id}` name. */
  readonly deviceId: string;
  readonly memberKey: string;
  readonly memberId: string;
  readonly codeVersion: number;
  /** Browser and system from the user agent when it was trusted ("Firefox · Android"). */
  readonly label: string;
  readonly createdAt: number;
  readonly lastUsedAt: number;
  /** Epoch ms: never more than 180 days after `createdAt`. */
  readonly expiresAt: number;
}

/** A device found by its cookie, with its own failure counter (a device locks alone, not its member). */
export interface PresentedDevice {
  readonly hash: string;
  readonly record: TrustedDeviceRecord;
  readonly counter: { readonly counter: AttemptCounter; readonly version: number };
}

export interface StoredDevice {
  readonly hash: string;
  readonly record: TrustedDeviceRecord;
}

export interface TrustedDeviceStore {
  put(hash: string, record: TrustedDeviceRecord): Promise<void>;
  get(hash: string): Promise<TrustedDeviceRecord | undefined>;
  /** Sets `lastUsedAt`, only if the device is still there. */
  touch(hash: string, now: number): Promise<void>;
  /** Binds the device to the member's new code, only while it is there and still bound to `fromCodeVersion`. */
  rebind(hash: string, fromCodeVersion: number, toCodeVersion: number): Promise<boolean>;
  /** The member's devices (an index: one added an instant ago may be missing). */
  listByMember(memberKey: string): Promise<StoredDevice[]>;
  delete(hash: string): Promise<void>;
}

export const DEVICE_TRUST_DAYS = 180;

/** How precisely a device's last use is kept (its list shows it to the hour). */
export const LAST_USE_PRECISION_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The cookie's value: 256 random bits, URL-safe; anything else is no device at all. */
export const isDeviceToken = isSecret;

export const deviceHash = (token: string): string => secretHash(`device:${token}`);

/**
 * Whether a presented device counts as the member's trusted device: the NIR's member's, unexpired,
 * bound to the member's current code and access. Anything else — another member's, expired,
 * forgotten, forged — is simply no device (nothing tells them apart).
 */
export function trustsDevice(record: TrustedDeviceRecord | undefined, member: Member | undefined, now: number) {
  return (
    record !== undefined &&
    member !== undefined &&
    record.memberKey === member.key &&
    record.expiresAt > now &&
    isBindingStillValid(member, record.codeVersion, now)
  );
}

export interface RememberedDevice {
  /** Goes only into the HttpOnly cookie. */
  readonly token: string;
  readonly maxAgeSeconds: number;
  /** The device's public id: the sessions opened from it carry it. */
  readonly deviceId: string;
}

export interface DeviceView {
  readonly id: string;
  readonly label: string;
  readonly createdAt: number;
  readonly lastUsedAt: number;
  readonly current: boolean;
}

export type DeviceForgetter =
  | SessionRevoker
  | { readonly by: 'CODE_CHANGED' | 'TOO_MANY_FAILURES' | 'RECOVERY'; readonly source: RequestSource };

export interface TrustedDeviceDependencies {
  readonly devices: TrustedDeviceStore;
  readonly mail: MemberMail;
  readonly clock: Clock;
  readonly events: SecurityEvents;
}

export class TrustedDevices {
  readonly #deps: TrustedDeviceDependencies;

  constructor(dependencies: TrustedDeviceDependencies) {
    this.#deps = dependencies;
  }

  /**
   * Trusts this browser for the member as of `codeVersion` (the version the proof was given
   * under); audited, and a notice is mailed: a device the member did not add is their cue to act.
   */
  async remember(
    member: Member,
    codeVersion: number,
    source: RequestSource & { readonly language: Language },
  ): Promise<RememberedDevice> {
    const now = this.#deps.clock.now();
    const token = newSecret();
    const record: TrustedDeviceRecord = {
      deviceId: newId(),
      memberKey: member.key,
      memberId: member.memberId,
      codeVersion,
      label: deviceLabel(source.userAgent),
      createdAt: now,
      lastUsedAt: now,
      expiresAt: now + DEVICE_TRUST_DAYS * DAY_MS,
    };
    await this.#deps.devices.put(deviceHash(token), record);
    await this.#deps.events.record('DEVICE_ADDED', {
      requestId: source.requestId,
      sourceIp: source.sourceIp,
      memberKey: member.key,
      memberId: member.memberId,
      label: record.label,
    });
    await this.#deps.mail.newDeviceNotice(member, record.label, now, source.language, source.requestId);
    return { token, maxAgeSeconds: DEVICE_TRUST_DAYS * 24 * 60 * 60, deviceId: record.deviceId };
  }

  /** The member's trusted device this cookie names, if it is one (else nothing, whatever the reason). */
  async trusted(member: Member, token: string | undefined): Promise<StoredDevice | undefined> {
    if (!isDeviceToken(token)) return undefined;
    const hash = deviceHash(token);
    const record = await this.#deps.devices.get(hash);
    return trustsDevice(record, member, this.#deps.clock.now()) ? { hash, record: record! } : undefined;
  }

  /** Last use, for the member's list; a lost update is harmless. */
  /**
   * A device's last use is written at most once an hour: a sign-in from a device used within the
   * hour writes nothing more, and the member's list still says when to the hour.
   */
  async used(device: StoredDevice): Promise<void> {
    const now = this.#deps.clock.now();
    if (now - device.record.lastUsedAt < LAST_USE_PRECISION_MS) return;
    await this.#deps.devices.touch(device.hash, now);
  }

  /** The member's trusted devices that still work, newest first; `current` marks the caller's cookie. */
  async list(member: Member, presentedToken?: string): Promise<DeviceView[]> {
    const current = isDeviceToken(presentedToken) ? deviceHash(presentedToken) : undefined;
    return (await this.#live(member)).map(({ hash, record }) => ({
      id: record.deviceId,
      label: record.label,
      createdAt: record.createdAt,
      lastUsedAt: record.lastUsedAt,
      current: hash === current,
    }));
  }

  /** Forgets one device of this member (false when it is not one of theirs). */
  async forget(member: Member, deviceId: string, who: DeviceForgetter): Promise<boolean> {
    const found = (await this.#live(member)).find((d) => d.record.deviceId === deviceId);
    if (!found) return false;
    await this.#forget(found, who);
    return true;
  }

  /** 25 failures from one trusted device in 24 hours (http-api-v1.md, POST /v1/login: "what a stranger with a NIR can no longer do"): it is a device no more. */
  async forgetAfterFailures(device: StoredDevice, source: RequestSource): Promise<void> {
    await this.#forget(device, { by: 'TOO_MANY_FAILURES', source });
  }

  /**
   * Forgets every device of the member, live or not (after a code change they are already dead by
   * their binding; this removes them and leaves the trail): how many were still trusted.
   */
  async forgetAll(member: Member, who: DeviceForgetter): Promise<number> {
    const all = await this.#deps.devices.listByMember(member.key);
    const now = this.#deps.clock.now();
    const live = all.filter((d) => d.record.expiresAt > now);
    await Promise.all(live.map((d) => this.#forget(d, who)));
    return live.length;
  }

  /** The device a signed-in code change came from stays trusted: bound to the member's new code. */
  async keepAcrossCodeChange(device: StoredDevice, codeVersion: number): Promise<boolean> {
    return this.#deps.devices.rebind(device.hash, device.record.codeVersion, codeVersion);
  }

  /** "End my other sessions" forgets the other devices too (http-api-v1.md, POST /v1/login: "what a stranger with a NIR can no longer do"): all but `keep`, how many. */
  async forgetAllBut(member: Member, keep: string | undefined, who: DeviceForgetter): Promise<number> {
    const others = (await this.#live(member)).filter((d) => d.record.deviceId !== keep);
    await Promise.all(others.map((d) => this.#forget(d, who)));
    return others.length;
  }

  async #live(member: Member): Promise<StoredDevice[]> {
    const now = this.#deps.clock.now();
    return (await this.#deps.devices.listByMember(member.key))
      .filter((d) => trustsDevice(d.record, member, now))
      .sort((a, b) => b.record.createdAt - a.record.createdAt);
  }

  async #forget(device: StoredDevice, who: DeviceForgetter): Promise<void> {
    await this.#deps.devices.delete(device.hash);
    const by =
      who.by === 'OPERATOR'
        ? { requestId: who.requestId, operator: who.operator, operatorClaim: who.operatorClaim }
        : { requestId: who.source.requestId, sourceIp: who.source.sourceIp };
    await this.#deps.events.record('DEVICE_FORGOTTEN', {
      ...by,
      memberKey: device.record.memberKey,
      memberId: device.record.memberId,
      reason: who.by,
    });
  }
}
