/**
 * Minimal declarations for `jsonld` 9 (CJS, default export only, no bundled types; packages.md).
 * Documents are free-form JSON-LD, hence `unknown`; pass an offline `documentLoader` always.
 */
declare module 'jsonld' {
  export interface JsonLdOptions {
    documentLoader?: (url: string) => Promise<{ contextUrl: string | null; documentUrl: string; document: unknown }>;
    safe?: boolean;
    base?: string | null;
    [option: string]: unknown;
  }
  interface JsonLd {
    expand(input: unknown, options?: JsonLdOptions): Promise<Array<Record<string, unknown>>>;
    compact(input: unknown, context: unknown, options?: JsonLdOptions): Promise<Record<string, unknown>>;
    frame(input: unknown, frame: unknown, options?: JsonLdOptions): Promise<Record<string, unknown>>;
    canonize(input: unknown, options?: JsonLdOptions & { algorithm?: 'RDFC-1.0' | 'URDNA2015'; format?: 'application/n-quads' }): Promise<string>;
  }
  const jsonld: JsonLd;
  export default jsonld;
}
