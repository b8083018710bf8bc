/** Pieces every builder shares: the context array and the optional `code` / `reason` pair. */
export interface CodeAndReason {
  code?: string;
  /** Human-readable and machine-readable reasons; omitted when empty (the schema needs ≥ 1). */
  reason?: unknown[];
}

export function codeAndReason({ code, reason }: CodeAndReason): CodeAndReason {
  return {
    ...(code === undefined ? {} : { code }),
    ...(reason === undefined || reason.length === 0 ? {} : { reason }),
  };
}
