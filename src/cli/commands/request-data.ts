/**
 * What `sovc request` reads of a transfer its connector received: the signed anonymisation
 * report (`GET /api/transfers/:id/report`, absent when the data came as stored) and the
 * decrypted bytes (`GET /api/transfers/:id/data`), as a stream: the connector checks digest,
 * signature and report while it streams and cuts the connection on any failure.
 */
import type { ReadableStream } from 'node:stream/web';
import { DomainError, fail, type ErrorCode } from '../../errors/index.js';
import { locate, segment, type CliIo, type ManagementTarget } from '../management-client.js';

export interface ReportSummary {
  signed: unknown;
  digest: string;
  plaintextSha256: string;
  issuer: string;
  /** Output format (`csv`, `jsonl`): the file's extension. */
  format: string;
  achieved: { k: number; l?: number };
}

export interface RemoteDataAccess {
  report(transferId: string): Promise<ReportSummary | undefined>;
  data(transferId: string): Promise<ReadableStream<Uint8Array>>;
}

interface ReportAnswer {
  digest: string;
  plaintextSha256: string;
  report: { issuer: string; report: { achieved: { k: number; l?: number }; output: { format: string } } };
}

async function refusal(response: Response): Promise<never> {
  const problem = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
  throw new DomainError(fail((problem.code ?? 'SOV_INTERNAL') as ErrorCode, problem.detail ?? `HTTP ${response.status}`, { status: response.status }));
}

export function locateRemoteData(target: ManagementTarget, io: CliIo): RemoteDataAccess {
  const { base, token } = locate(target, io);
  const get = (path: string) => fetch(`${base.replace(/\/+$/, '')}/api${path}`, { headers: { authorization: `Bearer ${token}` } });
  return {
    async report(transferId) {
      const response = await get(`/transfers/${segment(transferId)}/report`);
      if (response.status === 404) {
        const problem = (await response.json().catch(() => ({}))) as { code?: string };
        if (problem.code === 'SOV_ANON_REPORT_NOT_FOUND') return undefined;
        throw new DomainError(fail('SOV_TRANSFER_NOT_FOUND', `transfer ${transferId} has no received dataset`));
      }
      if (!response.ok) return refusal(response);
      const answer = (await response.json()) as ReportAnswer;
      const inner = answer.report.report;
      return { signed: answer.report, digest: answer.digest, plaintextSha256: answer.plaintextSha256, issuer: answer.report.issuer, format: inner.output.format, achieved: inner.achieved };
    },
    async data(transferId) {
      const response = await get(`/transfers/${segment(transferId)}/data`);
      if (!response.ok || response.body === null) return refusal(response);
      return response.body as ReadableStream<Uint8Array>;
    },
  };
}
