/**
 * The server's own X509-SVID (`spiffe://<td>/spire/server`), what the `https_spiffe` bundle endpoint
 * presents: minted at start with `default_x509_svid_ttl` and an ec-p256 key, re-minted once past its
 * half-life (notBefore + lifetime/2), checked every 5 s (`spire:pkg/server/svid/rotator.go`,
 * `rotator_config.go`; ID from `spire:pkg/common/idutil/spiffeid.go`).
 */
import type { Clock } from '../../core/clock.ts';
import { generateKeyPair, type Certificate, type KeyPair } from '../../pki/index.ts';

export const SVID_ROTATION_CHECK_INTERVAL = 5_000;

export interface ServerSvid {
  readonly chain: readonly Certificate[];
  readonly key: KeyPair;
}

export interface SvidRotatorOptions {
  readonly clock: Clock;
  readonly crypto: Crypto;
  readonly spiffeId: string;
  readonly ttl: number;
  readonly sign: (req: { spiffeId: string; key: KeyPair; ttl: number }) => Promise<{ chain: Certificate[] } | undefined>;
  readonly onRotated: (svid: ServerSvid) => void;
  readonly track: <T>(work: Promise<T>) => Promise<T>;
  readonly timerLabel?: string;
}

export class SvidRotator {
  private current: ServerSvid | undefined;
  private timer: number | undefined;
  private busy = false;

  constructor(private readonly o: SvidRotatorOptions) {}

  get svid(): ServerSvid | undefined {
    return this.current;
  }

  /** rotator.go `shouldRotate`: no SVID yet, or now past notBefore + lifetime/2. */
  shouldRotate(): boolean {
    const leaf = this.current?.chain[0];
    if (!leaf) return true;
    return this.o.clock.now() > leaf.notBefore + (leaf.notAfter - leaf.notBefore) / 2;
  }

  async rotate(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const key = await generateKeyPair(this.o.crypto, 'ec-p256');
      const signed = await this.o.sign({ spiffeId: this.o.spiffeId, key, ttl: this.o.ttl });
      if (!signed) return;
      this.current = { chain: signed.chain, key };
      this.o.onRotated(this.current);
    } finally {
      this.busy = false;
    }
  }

  start(): void {
    this.stop();
    const check = () => {
      this.timer = this.o.clock.setTimeout(check, SVID_ROTATION_CHECK_INTERVAL, `${this.o.timerLabel ?? 'spire-server'} svid-rotation`);
      if (!this.busy && this.shouldRotate()) void this.o.track(this.rotate());
    };
    this.timer = this.o.clock.setTimeout(check, SVID_ROTATION_CHECK_INTERVAL, `${this.o.timerLabel ?? 'spire-server'} svid-rotation`);
  }

  stop(): void {
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
