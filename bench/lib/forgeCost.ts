/**
 * Forge's consumption prices (../shared/forge-platform.md §3.18, billed from
 * 1 January 2026) and the arithmetic from measured usage to dollars. A GB is
 * taken as 10^9 bytes (the larger count of GB, so never an underestimate).
 */
export const FORGE_PRICES = {
  /** Functions: USD per GB-second; every invocation-second counts 0.5 GB. */
  usdPerGbSecond: 0.000025,
  gbPerInvocationSecond: 0.5,
  kvsReadUsdPerGb: 0.055,
  kvsWriteUsdPerGb: 1.09,
  logsUsdPerGb: 1.005,
} as const;

/** Free each month, per app across all its installations (not per site). */
export const FORGE_FREE = { gbSeconds: 100_000, kvsReadGb: 0.1, kvsWriteGb: 0.1, logsGb: 1 } as const;

const GB = 1e9;

export interface Usage {
  /** Billed function duration, seconds. */
  readonly functionSeconds: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly logBytes: number;
}

export interface CostTerm {
  readonly name: 'functions' | 'KVS reads' | 'KVS writes' | 'logs';
  /** The billed quantity in its unit (GB-s or GB). */
  readonly quantity: number;
  readonly unit: 'GB-s' | 'GB';
  readonly free: number;
  readonly usdPerUnit: number;
  /** Before the free allowance. */
  readonly grossUsd: number;
  /** After the free allowance (never negative). */
  readonly netUsd: number;
}

export function costTerms(u: Usage): CostTerm[] {
  const term = (name: CostTerm['name'], quantity: number, unit: CostTerm['unit'], free: number, usdPerUnit: number): CostTerm => ({
    name,
    quantity,
    unit,
    free,
    usdPerUnit,
    grossUsd: quantity * usdPerUnit,
    netUsd: Math.max(0, quantity - free) * usdPerUnit,
  });
  return [
    term('functions', u.functionSeconds * FORGE_PRICES.gbPerInvocationSecond, 'GB-s', FORGE_FREE.gbSeconds, FORGE_PRICES.usdPerGbSecond),
    term('KVS reads', u.bytesRead / GB, 'GB', FORGE_FREE.kvsReadGb, FORGE_PRICES.kvsReadUsdPerGb),
    term('KVS writes', u.bytesWritten / GB, 'GB', FORGE_FREE.kvsWriteGb, FORGE_PRICES.kvsWriteUsdPerGb),
    term('logs', u.logBytes / GB, 'GB', FORGE_FREE.logsGb, FORGE_PRICES.logsUsdPerGb),
  ];
}

export const scaleUsage = (u: Usage, k: number): Usage => ({ functionSeconds: u.functionSeconds * k, bytesRead: u.bytesRead * k, bytesWritten: u.bytesWritten * k, logBytes: u.logBytes * k });

export const addUsage = (...us: readonly Usage[]): Usage => ({
  functionSeconds: us.reduce((t, u) => t + u.functionSeconds, 0),
  bytesRead: us.reduce((t, u) => t + u.bytesRead, 0),
  bytesWritten: us.reduce((t, u) => t + u.bytesWritten, 0),
  logBytes: us.reduce((t, u) => t + u.logBytes, 0),
});

/** Dollars with enough digits to compare small terms. */
export function usd(x: number): string {
  if (x === 0) return '$0';
  if (x < 0.01) return `$${x.toPrecision(2)}`;
  return `$${x.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function qty(x: number, unit: string): string {
  const digits = x >= 100 ? 0 : x >= 1 ? 2 : 4;
  return `${x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: Math.min(digits, 2) })} ${unit}`;
}
