/**
 * `npm run bench` — prints a table; `npm run bench -- --json` prints one JSON object per line
 * ({ name, value, unit, limit?, ratio? }). `--only NAME` runs the suites whose name contains NAME.
 */
import 'reflect-metadata';
import { pkiBenchmarks } from './pki.bench.ts';
import { wireBenchmarks } from './wire.bench.ts';
import { topologyBenchmarks } from './topology.bench.ts';
import { libraryBenchmarks } from './library.bench.ts';
import { startBenchmarks } from './start.bench.ts';
import type { Measurement } from './measure.ts';

const suites: Record<string, () => Promise<Measurement[]>> = {
  pki: pkiBenchmarks,
  wire: wireBenchmarks,
  library: libraryBenchmarks,
  topology: topologyBenchmarks,
  start: () => startBenchmarks(),
};

function parseArgs(argv: string[]): { json: boolean; only?: string } {
  const out: { json: boolean; only?: string } = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') out.json = true;
    else if (a === '--only' && argv[i + 1]) out.only = argv[++i]!;
    else {
      process.stderr.write(`bench: unknown argument ${a}\nusage: npm run bench -- [--json] [--only SUITE]\n`);
      process.exit(2);
    }
  }
  return out;
}

const fmt = (v: number): string => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2));

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const rows: Measurement[] = [];
  for (const [name, run] of Object.entries(suites)) {
    if (args.only && !name.includes(args.only)) continue;
    for (const m of await run()) {
      rows.push(m);
      if (args.json) process.stdout.write(`${JSON.stringify(m)}\n`);
    }
  }
  if (args.json) return;
  const header = ['benchmark', 'value', 'unit', 'limit', 'ratio', 'note'];
  const table = rows.map((m) => [m.name, fmt(m.value), m.unit, m.limit === undefined ? '' : fmt(m.limit), m.ratio === undefined ? '' : m.ratio.toFixed(2), m.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 || i >= 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${table.map(line).join('\n')}\n`);
}

await main();
