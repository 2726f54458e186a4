/**
 * FL0020 — the bundle endpoint's `refresh_hint` is so long that peers learn a new CA root only after it
 * starts signing: the server prepares its next CA (and publishes the root) at half the CA's lifetime and
 * activates it at five sixths (spire:pkg/server/ca/manager, engine sim/spire/server/ca.ts), a window of
 * ca_ttl/3 (8 h for the default 24 h); peers poll a quarter of the hint apart. If that exceeds the window,
 * SVIDs from the new CA are rejected until the next refresh (F05).
 */
import type { Rule } from '../../types.ts';
import { parseDuration } from '../../../core/duration.ts';
import { finding, get, perCluster, spireConfigs, str } from '../util.ts';

const HOUR = 3_600_000;
const ms = (v: unknown, fallback: number): number => {
  const s = str(v);
  if (s === undefined) return fallback;
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const r = parseDuration(s);
  return r.ok ? r.value : fallback;
};

export const refreshHint: Rule = {
  code: 'FL0020',
  severity: 'error',
  title: 'Bundle endpoint refresh_hint longer than the window between CA preparation and activation',
  refs: ['F05'],
  check: perCluster((c) =>
    spireConfigs(c, 'server').flatMap(({ cm, key, conf }) => {
      const be = get(conf, 'server.federation.bundle_endpoint');
      if (!be) return [];
      const hint = ms(get(be, 'refresh_hint'), 5 * 60_000);
      const caTtl = ms(get(conf, 'server.ca_ttl'), 24 * HOUR);
      const window = Math.min(caTtl / 2, 30 * 24 * HOUR) - Math.min(caTtl / 6, 7 * 24 * HOUR);
      if (hint / 4 < window) return [];
      const h = (x: number) => `${Math.round((x / HOUR) * 10) / 10}h`;
      return [finding(refreshHint, cm, `data[${key}]`, `${key}: federation.bundle_endpoint.refresh_hint is ${str(get(be, 'refresh_hint'))}, so peers refresh this server's bundle only about every ${h(hint / 4)}; a new CA root is published ${h(window)} before it starts signing (ca_ttl ${h(caTtl)}), so peers reject the SVIDs it signs until their next refresh. Keep the hint well under ${h(window)} (SPIRE's default is 5m)`)];
    }),
  ),
};
