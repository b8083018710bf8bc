import { describe, expect, it } from 'vitest';
import { progressBar, progressRenderer, progressText } from '../../../src/cli/commands/transfer-pull.js';

const MB = 1024 * 1024;

describe('sovc transfer pull progress', () => {
  it('shows bytes, percentage, rate and ETA', () => {
    expect(progressText({ bytes: 10 * MB, total: 40 * MB, elapsedMs: 2000 })).toBe('10.0 MB of 40.0 MB (25%) at 5.0 MB/s, ETA 0:06');
    expect(progressText({ bytes: 3 * MB, elapsedMs: 1000 })).toBe('3.0 MB at 3.0 MB/s');
    expect(progressBar({ bytes: 20 * MB, total: 40 * MB, elapsedMs: 1000 }, 10)).toBe('[#####.....] 20.0 MB of 40.0 MB (50%) at 20.0 MB/s, ETA 0:01');
  });

  it('rewrites one line on a terminal and prints a line per tenth otherwise, noting resumed attempts', () => {
    let t = 0;
    const tty: string[] = [];
    const onTty = progressRenderer((s) => tty.push(s), true, () => t);
    const plain: string[] = [];
    const onPipe = progressRenderer((s) => plain.push(s), false, () => t);
    for (let bytes = MB; bytes <= 10 * MB; bytes += MB / 2) {
      t += 100;
      const progress = { transferId: 'urn:uuid:t', bytes, total: 10 * MB, attempt: bytes > 6 * MB ? 2 : 1 };
      onTty(progress);
      onPipe(progress);
    }
    expect(tty.every((s) => s.startsWith('\r['))).toBe(true);
    expect(tty).toHaveLength(19);
    expect(plain).toHaveLength(10);
    expect(plain.every((line) => line.startsWith('pulled ') && line.endsWith('\n'))).toBe(true);
    expect(plain.at(-1)).toContain('(resumed, attempt 2)');
    expect(plain.at(-1)).toContain('10.0 MB of 10.0 MB (100%)');
  });
});
