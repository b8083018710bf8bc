/**
 * Fetches a status list credential over HTTP for the status checker: https (http on loopback),
 * no redirects, a timeout and a size cap. A full 131,072-entry list is at most 16 KiB of bits
 * before compression, so 256 KiB leaves room for the credential around it.
 */
import type { Result } from '../../errors/index.js';
import { fetchJsonBounded, type FetchLike } from '../bounded-fetch.js';

export interface HttpStatusListFetcherOptions {
  fetch?: FetchLike;
  timeoutMs?: number;
  maxBytes?: number;
}

export function createHttpStatusListFetcher(options: HttpStatusListFetcherOptions = {}): (url: string) => Promise<Result<unknown>> {
  return (url) =>
    fetchJsonBounded(url, {
      fetch: options.fetch ?? ((u, init) => fetch(u, init)),
      timeoutMs: options.timeoutMs ?? 5_000,
      maxBytes: options.maxBytes ?? 256 * 1024,
      unavailableCode: 'SOV_IDENTITY_STATUS_UNAVAILABLE',
      invalidCode: 'SOV_IDENTITY_STATUS_UNAVAILABLE',
      tooLargeCode: 'SOV_IDENTITY_STATUS_UNAVAILABLE',
    });
}
