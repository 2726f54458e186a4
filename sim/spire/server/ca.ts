/**
 * The server CA manager: X.509 CA and JWT signing key slots, rotation and bundle pruning, and X509-SVID
 * signing (`spire:pkg/server/ca/manager/manager.go`, `slot.go`, `spire:pkg/server/ca/rotator/rotator.go`,
 * `spire:pkg/server/ca/ca.go`, `spire:pkg/server/credtemplate/builder.go`).
 *
 * - Two slots per kind (current, next). A rotation check runs at start and every 10 s: empty current →
 *   prepare + activate; next empty and `now > preparationThreshold` → prepare into next; `now >
 *   activationThreshold` → rotate (next becomes current, the old one is kept as "old").
 *   preparationThreshold = notAfter − min(lifetime/2, 30d); activationThreshold = notAfter − min(lifetime/6, 7d);
 *   lifetime = notAfter − issuedAt (manager.go). X.509 first, then JWT (rotator.go `rotate`).
 * - New roots / JWT public keys enter the bundle at preparation (`AppendBundle`), so the sequence goes
 *   CA1 → 0, JWT1 → 1, then +1 per root and +1 per key at each preparation.
 * - Every 6 h the bundle is pruned of roots and keys with `notAfter <= now − 24h` (+1 sequence when
 *   something went; never to an empty bundle).
 * - JWT `kid` = 32 characters of [a-zA-Z0-9] from the rng; its notAfter = preparation time + ca_ttl.
 * - SVIDs: `x509SvidTemplate`, notAfter capped at the signing CA's notAfter; the chain is the leaf plus
 *   the CA's upstream chain (just the leaf when self-signed).
 *
 * Preparation is asynchronous (key generation and signing): the work is tracked, and a check that finds
 * it still running does nothing (as the rotator's mutex does), so a world that settles between timers
 * sees every step at the virtual instant it was due.
 * Simplified: no journal (a restart starts from scratch), no tainting/revocation, WIT keys not modelled,
 * log lines carry fewer fields than upstream's.
 */
import { ALNUM } from '../../core/rng.ts';
import type { Clock } from '../../core/clock.ts';
import { HOUR } from '../../core/duration.ts';
import type { Rng } from '../../core/rng.ts';
import {
  generateKeyPair,
  issueCertificate,
  spireCaTemplate,
  toHex,
  x509SvidTemplate,
  type Certificate,
  type Issuer,
  type KeyPair,
  type KeyType,
  type NameSpec,
} from '../../pki/index.ts';
import type { TrustDomain } from '../../spiffe/index.ts';
import { jwtKeyFromSpki, type Datastore } from './datastore.ts';
import type { LogLevel } from './logrus.ts';

export const ROTATION_INTERVAL = 10_000;
export const PRUNE_INTERVAL = 6 * HOUR;
/** manager.go `safetyThreshold`: roots are pruned 24 h after they expire. */
export const PRUNE_SAFETY_THRESHOLD = 24 * HOUR;
const DAY = 24 * HOUR;

export interface X509Authority {
  readonly cert: Certificate;
  readonly key: KeyPair;
  readonly issuedAt: number;
  /** Certificates after the CA in an SVID chain: empty when self-signed; [CA, upstream intermediates…] otherwise. */
  readonly upstreamChain: readonly Certificate[];
}

export interface JwtAuthority {
  readonly kid: string;
  readonly key: KeyPair;
  readonly issuedAt: number;
  readonly notAfter: number;
}

/** An UpstreamAuthority (the `disk` plugin): signs the server's CA as an intermediate. */
export interface UpstreamAuthority {
  readonly issuer: Issuer;
  /** Roots to publish in the bundle instead of the server CA. */
  readonly roots: readonly Certificate[];
  /** Intermediates between the issuer and the roots (not including roots). */
  readonly chain?: readonly Certificate[];
}

export interface CaManagerOptions {
  readonly clock: Clock;
  readonly rng: Rng;
  readonly crypto: Crypto;
  readonly trustDomain: TrustDomain;
  readonly caTtl: number;
  readonly caKeyType: KeyType;
  readonly jwtKeyType: KeyType;
  readonly caSubject: NameSpec;
  readonly datastore: Datastore;
  readonly upstream?: UpstreamAuthority;
  readonly emit: (type: string, data: Record<string, unknown>) => void;
  readonly log: (level: LogLevel, msg: string, fields?: Record<string, string | number | boolean>) => void;
  readonly track: <T>(work: Promise<T>) => Promise<T>;
  readonly timerLabel?: string;
}

export const preparationThreshold = (notAfter: number, issuedAt: number): number => notAfter - Math.min((notAfter - issuedAt) / 2, 30 * DAY);
export const activationThreshold = (notAfter: number, issuedAt: number): number => notAfter - Math.min((notAfter - issuedAt) / 6, 7 * DAY);

const authorityId = (cert: Certificate): string => (cert.subjectKeyId ? toHex(cert.subjectKeyId) : '');

/** The CA journal's slots: what `initialize` reloads after a restart. */
export interface CaSlots {
  readonly active?: X509Authority | undefined;
  readonly prepared?: X509Authority | undefined;
  readonly old?: X509Authority | undefined;
  readonly jwtActive?: JwtAuthority | undefined;
  readonly jwtPrepared?: JwtAuthority | undefined;
  readonly jwtOld?: JwtAuthority | undefined;
}

export class CaManager {
  private x509Current: X509Authority | undefined;
  private x509Next: X509Authority | undefined;
  private x509Old: X509Authority | undefined;
  private jwtCurrent: JwtAuthority | undefined;
  private jwtNext: JwtAuthority | undefined;
  private jwtOld: JwtAuthority | undefined;
  private busy = false;
  private rotationTimer: number | undefined;
  private pruneTimer: number | undefined;

  constructor(private readonly o: CaManagerOptions) {}

  /**
   * Prepares and activates the first CA and JWT key (what a fresh server does before serving). A
   * restarted server on a persistent data_dir first reloads its journal (ca/journal.go): the saved
   * slots become current again (logged as activated) while the active X.509 CA is still valid.
   */
  async initialize(restore?: CaSlots): Promise<void> {
    const now = this.o.clock.now();
    if (restore?.active && now < restore.active.cert.notAfter) {
      ({ active: this.x509Current, prepared: this.x509Next, old: this.x509Old } = restore);
      this.activated('x509');
      if (restore.jwtActive && now < restore.jwtActive.notAfter) {
        ({ jwtActive: this.jwtCurrent, jwtPrepared: this.jwtNext, jwtOld: this.jwtOld } = restore);
        this.activated('jwt');
      }
    }
    await this.rotate();
  }

  /** Starts the 10 s rotation checks and the 6-hourly prune. */
  start(): void {
    this.stop();
    const label = this.o.timerLabel ?? 'spire-server';
    const rotation = () => {
      this.rotationTimer = this.o.clock.setTimeout(rotation, ROTATION_INTERVAL, `${label} ca-rotation`);
      if (!this.busy) void this.o.track(this.rotate());
    };
    const prune = () => {
      this.pruneTimer = this.o.clock.setTimeout(prune, PRUNE_INTERVAL, `${label} bundle-prune`);
      this.pruneBundle();
    };
    this.rotationTimer = this.o.clock.setTimeout(rotation, ROTATION_INTERVAL, `${label} ca-rotation`);
    this.pruneTimer = this.o.clock.setTimeout(prune, PRUNE_INTERVAL, `${label} bundle-prune`);
  }

  stop(): void {
    if (this.rotationTimer !== undefined) this.o.clock.clearTimeout(this.rotationTimer);
    if (this.pruneTimer !== undefined) this.o.clock.clearTimeout(this.pruneTimer);
    this.rotationTimer = this.pruneTimer = undefined;
  }

  /** The CA that signs now. */
  activeX509(): X509Authority | undefined {
    return this.x509Current;
  }

  slots(): CaSlots {
    return { active: this.x509Current, prepared: this.x509Next, old: this.x509Old, jwtActive: this.jwtCurrent, jwtPrepared: this.jwtNext, jwtOld: this.jwtOld };
  }

  /** One rotation check (rotator.go `rotate`): X.509 CA, then JWT key. */
  async rotate(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const now = this.o.clock.now();
      const cur = this.x509Current;
      if (!cur) {
        this.x509Current = await this.prepareX509(now, 'A');
        this.activated('x509');
      } else if (!this.x509Next && now > preparationThreshold(cur.cert.notAfter, cur.issuedAt)) {
        this.x509Next = await this.prepareX509(now, 'B');
      } else if (this.x509Next && now > activationThreshold(cur.cert.notAfter, cur.issuedAt)) {
        this.x509Old = cur;
        this.x509Current = this.x509Next;
        this.x509Next = undefined;
        this.activated('x509');
      }
      const jwt = this.jwtCurrent;
      if (!jwt) {
        this.jwtCurrent = await this.prepareJwt(now);
        this.activated('jwt');
      } else if (!this.jwtNext && now > preparationThreshold(jwt.notAfter, jwt.issuedAt)) {
        this.jwtNext = await this.prepareJwt(now);
      } else if (this.jwtNext && now > activationThreshold(jwt.notAfter, jwt.issuedAt)) {
        this.jwtOld = jwt;
        this.jwtCurrent = this.jwtNext;
        this.jwtNext = undefined;
        this.activated('jwt');
      }
    } finally {
      this.busy = false;
    }
  }

  /**
   * Manual rotation, as `spire-server localauthority x509 prepare` followed by `… activate` does
   * (spire:pkg/server/api/localauthority/v1/service.go): prepare the next X.509 CA now if none is
   * prepared (its root enters the bundle), then make it the active one at once.
   */
  async rotateNow(): Promise<void> {
    while (this.busy) await Promise.resolve();
    this.busy = true;
    try {
      const now = this.o.clock.now();
      this.x509Next ??= await this.prepareX509(now, this.x509Current ? 'B' : 'A');
      if (this.x509Current) this.x509Old = this.x509Current;
      this.x509Current = this.x509Next;
      this.x509Next = undefined;
      this.activated('x509');
    } finally {
      this.busy = false;
    }
  }

  private async prepareX509(now: number, slot: string): Promise<X509Authority> {
    const o = this.o;
    const key = await generateKeyPair(o.crypto, o.caKeyType);
    const serial = o.rng.serial();
    const up = o.upstream;
    const template = spireCaTemplate({
      trustDomainId: o.trustDomain.idString(),
      serial,
      now,
      ttl: o.caTtl,
      subject: o.caSubject,
      ...(up ? { notAfterCap: up.issuer.cert.notAfter } : {}),
    });
    const issued = await issueCertificate(o.crypto, template, key, up?.issuer);
    const authority: X509Authority = { cert: issued.cert, key, issuedAt: now, upstreamChain: up ? [issued.cert, ...(up.chain ?? [])] : [] };
    const bundle = o.datastore.appendBundle({ trustDomain: o.trustDomain.name, x509Authorities: up ? up.roots : [issued.cert] });
    const fields = {
      expiration: new Date(issued.cert.notAfter).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      issued_at: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      local_authority_id: authorityId(issued.cert),
      self_signed: !up,
      slot,
    };
    o.log('info', 'X509 CA prepared', fields);
    o.emit('spire.ca.prepared', { kind: 'x509', authorityId: authorityId(issued.cert), serial: serial.toString(16), notAfter: issued.cert.notAfter, sequence: bundle.sequenceNumber });
    return authority;
  }

  private async prepareJwt(now: number): Promise<JwtAuthority> {
    const o = this.o;
    const key = await generateKeyPair(o.crypto, o.jwtKeyType);
    const kid = o.rng.string(32, ALNUM);
    const notAfter = now + o.caTtl;
    const bundle = o.datastore.appendBundle({ trustDomain: o.trustDomain.name, jwtSigningKeys: [jwtKeyFromSpki(kid, key.spki, notAfter)] });
    o.log('info', 'JWT key prepared', { expiration: new Date(notAfter).toISOString().replace(/\.\d{3}Z$/, 'Z'), local_authority_id: kid });
    o.emit('spire.ca.prepared', { kind: 'jwt', kid, notAfter, sequence: bundle.sequenceNumber });
    return { kid, key, issuedAt: now, notAfter };
  }

  private activated(kind: 'x509' | 'jwt'): void {
    if (kind === 'x509') {
      const c = this.x509Current!;
      this.o.log('info', 'X509 CA activated', { expiration: new Date(c.cert.notAfter).toISOString().replace(/\.\d{3}Z$/, 'Z'), local_authority_id: authorityId(c.cert) });
      this.o.emit('spire.ca.activated', { kind, authorityId: authorityId(c.cert), serial: c.cert.serial.toString(16), notAfter: c.cert.notAfter });
    } else {
      const j = this.jwtCurrent!;
      this.o.log('info', 'JWT key activated', { local_authority_id: j.kid });
      this.o.emit('spire.ca.activated', { kind, kid: j.kid, notAfter: j.notAfter });
    }
  }

  /** manager.go `PruneBundle`: every 6 h, roots and keys expired for 24 h or more. */
  pruneBundle(): void {
    const o = this.o;
    const before = o.datastore.fetchBundle(o.trustDomain.name);
    const r = o.datastore.pruneBundle(o.trustDomain.name, o.clock.now() - PRUNE_SAFETY_THRESHOLD);
    if (!r.ok) {
      o.log('error', 'Could not prune CA certificates', { error: r.error.message });
      return;
    }
    if (!r.value || !before) return;
    const after = o.datastore.fetchBundle(o.trustDomain.name)!;
    o.emit('spire.bundle.pruned', {
      removedX509: before.x509Authorities.length - after.x509Authorities.length,
      removedJwt: before.jwtSigningKeys.length - after.jwtSigningKeys.length,
      sequence: after.sequenceNumber,
    });
  }

  /** Signs an X509-SVID for `key` with the active CA (ca.go `SignWorkloadX509SVID`). */
  async signX509Svid(req: { readonly spiffeId: string; readonly key: KeyPair; readonly ttl: number; readonly dnsNames?: readonly string[] }): Promise<{ chain: Certificate[]; expiresAt: number } | undefined> {
    const ca = this.x509Current;
    if (!ca) return undefined;
    const now = this.o.clock.now();
    const template = x509SvidTemplate({ spiffeId: req.spiffeId, serial: this.o.rng.serial(), now, ttl: req.ttl, caNotAfter: ca.cert.notAfter, dnsNames: req.dnsNames ?? [] });
    const leaf = await issueCertificate(this.o.crypto, template, req.key, { cert: ca.cert, key: ca.key });
    return { chain: [leaf.cert, ...ca.upstreamChain], expiresAt: leaf.cert.notAfter };
  }
}
