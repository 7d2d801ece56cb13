/** Limits of one parse. Every one is configurable; the defaults fit the largest real CI reports. */
export interface ParseLimits {
  /** Bytes of input (UTF-16 code units when the input is given as strings). Over it: rejected. */
  maxBytes: number;
  /** Elements in the file. Over it: rejected. */
  maxElements: number;
  /** Element nesting depth. Over it: rejected. */
  maxDepth: number;
  /** Characters kept of a failure/skip message; longer ones are truncated with a warning. */
  maxMessage: number;
  /** Characters kept of a stack trace / failure body; longer ones are truncated with a warning. */
  maxDetail: number;
  /** Characters kept of a suite, classname, test name or file; longer ones truncated with a warning. */
  maxName: number;
  /** Warnings kept; past it one summary warning says how many more there were. */
  maxWarnings: number;
}

export const DEFAULT_LIMITS: Readonly<ParseLimits> = {
  maxBytes: 512 * 1024 * 1024,
  maxElements: 5_000_000,
  maxDepth: 256,
  maxMessage: 4 * 1024,
  maxDetail: 64 * 1024,
  maxName: 1024,
  maxWarnings: 100,
};

/** Defaults overridden by whatever `partial` sets. */
export function resolveLimits(partial: Partial<ParseLimits> | undefined): ParseLimits {
  return { ...DEFAULT_LIMITS, ...partial };
}
