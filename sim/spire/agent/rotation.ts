/**
 * When the agent renews a cached X509-SVID (`spire:pkg/common/rotationutil/rotationutil.go`):
 * remaining TTL ≤ a jittered half-life — half the lifetime ± 10 %, i.e. a threshold drawn uniformly in
 * [45 %, 55 %) of `notAfter − notBefore`, **drawn afresh at every check** — or already expired. With
 * `availability_target` set (≥ 24h) and `lifetime − target > 12h`, the rule is remaining TTL ≤
 * target + uniform[0, 10 min). The lifetime includes the 10 s notBefore cushion.
 */
import type { Rng } from '../../core/rng.ts';

const MINUTE = 60_000;
const GRACE_PERIOD_THRESHOLD = 12 * 60 * MINUTE;

/** `calculateJitteredHalfLife`: `rand.Int63n(2·delta) + (half − delta)` with delta = half/10. */
export function jitteredHalfLife(lifetimeMs: number, rng: Rng): number {
  const half = lifetimeMs / 2;
  const delta = half / 10;
  return half - delta + rng.float() * 2 * delta;
}

/** `shouldFallbackX509Default`: the target is too close to the lifetime to be honoured. */
export const shouldFallbackX509Default = (lifetimeMs: number, availabilityTargetMs: number): boolean => lifetimeMs - availabilityTargetMs <= GRACE_PERIOD_THRESHOLD;

/** `shouldRotateX509` at `now` for a certificate valid [notBefore, notAfter]. */
export function shouldRotateX509(now: number, notBefore: number, notAfter: number, rng: Rng, availabilityTargetMs = 0): boolean {
  const ttl = notAfter - now;
  if (ttl <= 0) return true;
  const lifetime = notAfter - notBefore;
  if (availabilityTargetMs > 0 && !shouldFallbackX509Default(lifetime, availabilityTargetMs)) {
    if (ttl <= availabilityTargetMs + rng.float() * 10 * MINUTE) return true;
  }
  return ttl <= jitteredHalfLife(lifetime, rng);
}
