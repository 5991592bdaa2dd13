import { addUsage, costTerms, FORGE_FREE, qty, scaleUsage, usd, type Usage } from './lib/forgeCost';
import { functionSeconds, usagePerUnit, type Measured } from './lib/meter';
import type { PipelineResult } from './pipeline';

/**
 * The monthly bill of a site, from the measured figures. Assumptions (stated
 * in docs/operations.md too):
 * - each person logs 4 worklogs a working day, 21.7 working days a month; those creates are
 *   70 % of the worklog events (the rest are 20 % edits and 10 % deletes), so a person makes
 *   4 / 0.7 = 5.71 events a working day, costed as the "edits" scenario's average event;
 * - the reconcile runs every hour (720 runs in a 30-day month), each costed as an empty run,
 *   plus, once per change, what listing an already applied change costs;
 * - each person opens their month report 10 times a month, each time on another day (zone not cached).
 */
export const SITE_MODEL = { worklogsPerPersonPerWorkingDay: 4, createShare: 0.7, workingDaysPerMonth: 21.7, reconcilesPerMonth: 720, reportOpensPerPersonPerMonth: 10 } as const;
export const SITE_SIZES = [10, 1_000, 20_000] as const;

function phase(result: PipelineResult, label: string): Measured {
  const m = result.phases.find((p) => p.label === label);
  if (!m) throw new Error(`the pipeline run has no phase "${label}"`);
  return m;
}

const price = (x: number) => `$${x}`;
const f2 = (x: number) => x.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const f0 = (x: number) => Math.round(x).toLocaleString('en');
const f1 = (x: number) => x.toLocaleString('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

interface SiteMonth {
  readonly people: number;
  readonly events: number;
  readonly parts: readonly { readonly name: string; readonly count: number; readonly per: Usage; readonly usage: Usage }[];
  readonly total: Usage;
}

export function siteMonth(result: PipelineResult, people: number): SiteMonth {
  const lat = result.options.latencyMs;
  const events = (people * SITE_MODEL.worklogsPerPersonPerWorkingDay * SITE_MODEL.workingDaysPerMonth) / SITE_MODEL.createShare;
  const part = (name: string, count: number, label: string) => {
    const per = usagePerUnit(phase(result, label), lat);
    return { name, count, per, usage: scaleUsage(per, count) };
  };
  const parts = [
    part('worklog events', events, 'edits (product events)'),
    part('reconcile runs (empty)', SITE_MODEL.reconcilesPerMonth, 'empty hourly reconcile'),
    part('reconcile, per change listed', events, 'reconcile listing changes already applied'),
    part('report opens', people * SITE_MODEL.reportOpensPerPersonPerMonth, 'month report, first open'),
  ];
  return { people, events, parts, total: addUsage(...parts.map((p) => p.usage)) };
}

/** The cost figures as markdown, for docs/operations.md and bench/README.md. */
export function costMarkdown(result: PipelineResult, when: string): string {
  const lat = result.options.latencyMs;
  const out: string[] = [];
  out.push(`Measured ${when} with ${result.options.events.toLocaleString('en')} worklog events per scenario. Forge function time is estimated as the measured handler time plus ${lat.kvs} ms per KVS request, ${lat.push} ms per queue push and ${lat.jira} ms per Jira call (assumed round trips).`);
  out.push('');
  out.push('| Per unit | KVS reads (requests / units / bytes) | KVS writes (requests / units / bytes) | Handler time measured | Forge time estimated | Queue pushes / event bytes | Jira calls | Log bytes |');
  out.push('|---|---|---|---|---|---|---|---|');
  for (const m of result.phases) {
    const per = (x: number) => x / m.per;
    out.push(
      `| ${m.label} (per ${m.perName}) | ${f2(per(m.kv.reads))} / ${f2(per(m.kv.readUnits))} / ${f0(per(m.kv.bytesRead))} | ${f2(per(m.kv.writes))} / ${f2(per(m.kv.writeUnits))} / ${f0(per(m.kv.bytesWritten))} | ${per(m.handlerMs).toFixed(3)} ms | ${f1((functionSeconds(m, lat) * 1000) / m.per)} ms | ${f2(per(m.pushes))} / ${f0(per(m.eventBytes))} | ${per(m.jiraCalls).toFixed(3)} | ${f0(per(m.logBytes))} |`,
    );
  }
  out.push('');
  out.push('Bytes by key family (read / written per unit; families under 1 byte left out):');
  out.push('');
  for (const m of result.phases) {
    const fam = [...m.kv.families]
      .map(([name, f]) => ({ name, read: f.bytesRead / m.per, written: f.bytesWritten / m.per }))
      .filter((f) => f.read + f.written >= 1)
      .sort((a, b) => b.written - a.written || b.read - a.read)
      .map((f) => `\`${f.name}\` ${f0(f.read)} / ${f0(f.written)}`);
    out.push(`- ${m.label}: ${fam.join(', ')}`);
  }
  out.push('');
  out.push('**1,000,000 worklog events** at Forge prices, before free allowances:');
  out.push('');
  out.push('| Scenario | Functions | KVS reads | KVS writes | Logs | Total | Functions if round trips were free |');
  out.push('|---|---|---|---|---|---|---|');
  for (const label of ['product events (creates)', 'initial import', 'edits (product events)']) {
    const m = phase(result, label);
    const terms = costTerms(scaleUsage(usagePerUnit(m, lat), 1e6));
    const top = terms.reduce((a, b) => (b.grossUsd > a.grossUsd ? b : a));
    const cell = (i: number) => {
      const t = terms[i]!;
      const s = `${qty(t.quantity, t.unit)} × ${price(t.usdPerUnit)} = ${usd(t.grossUsd)}`;
      return t === top ? `**${s}**` : s;
    };
    const bare = costTerms(scaleUsage(usagePerUnit(m, { kvs: 0, push: 0, jira: 0 }), 1e6))[0]!;
    out.push(`| ${label} | ${cell(0)} | ${cell(1)} | ${cell(2)} | ${cell(3)} | ${usd(terms.reduce((t, x) => t + x.grossUsd, 0))} | ${qty(bare.quantity, bare.unit)} = ${usd(bare.grossUsd)} |`);
  }
  out.push('');
  out.push(
    `**A month** (${SITE_MODEL.worklogsPerPersonPerWorkingDay} worklogs a person a working day = ${f0(SITE_MODEL.createShare * 100)} % of events, ${SITE_MODEL.workingDaysPerMonth} working days, ${SITE_MODEL.reconcilesPerMonth} hourly reconciles, ${SITE_MODEL.reportOpensPerPersonPerMonth} report opens a person). Free allowances each month are per app across all installations: ${f0(FORGE_FREE.gbSeconds)} GB-s, ${FORGE_FREE.kvsReadGb} GB read, ${FORGE_FREE.kvsWriteGb} GB written, ${FORGE_FREE.logsGb} GB logs; the "net" column assumes this site is the app's only installation.`,
  );
  for (const people of SITE_SIZES) {
    const s = siteMonth(result, people);
    out.push('');
    out.push(`*${people.toLocaleString('en')} people: ${f0(s.events)} worklog events a month (${people.toLocaleString('en')} × ${SITE_MODEL.worklogsPerPersonPerWorkingDay} × ${SITE_MODEL.workingDaysPerMonth} / ${SITE_MODEL.createShare}).*`);
    out.push('');
    out.push('| Term | ' + s.parts.map((p) => `${p.name} (${f0(p.count)})`).join(' | ') + ' | Month | Price | Gross | Net of free |');
    out.push('|---|' + s.parts.map(() => '---|').join('') + '---|---|---|---|');
    const total = costTerms(s.total);
    const byPart = s.parts.map((p) => costTerms(p.usage));
    const top = total.reduce((a, b) => (b.grossUsd > a.grossUsd ? b : a));
    total.forEach((t, i) => {
      const name = t === top ? `**${t.name}**` : t.name;
      out.push(`| ${name} | ${byPart.map((terms) => qty(terms[i]!.quantity, t.unit)).join(' | ')} | ${qty(t.quantity, t.unit)} | ${price(t.usdPerUnit)}/${t.unit} | ${usd(t.grossUsd)} | ${usd(t.netUsd)} |`);
    });
    out.push(`| **total** |${s.parts.map(() => ' |').join('')} | | **${usd(total.reduce((a, t) => a + t.grossUsd, 0))}** | **${usd(total.reduce((a, t) => a + t.netUsd, 0))}** |`);
  }
  return out.join('\n');
}
