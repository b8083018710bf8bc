/**
 * Full-text matching over catalogue metadata, portable and in TypeScript (no FTS engine, so
 * the index works the same on SQLite and Postgres): text is folded (Unicode NFKD, accents and
 * case dropped) and split into word tokens; every query token must match a token of the title,
 * the keywords or the description, exactly or as a prefix. Exact beats prefix, and title
 * beats keyword beats description; a title holding the whole query as a phrase gets a bonus.
 */

const STOPWORDS = new Set(['a', 'an', 'and', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);

const WEIGHTS = { title: 3, keywords: 2, description: 1 } as const;
const PREFIX_FACTOR = 0.5;
const PHRASE_BONUS = 2;

export function tokenise(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token !== '');
}

export interface SearchableText {
  title: string[];
  keywords: string[];
  description: string[];
}

export function searchableText(fields: { title: string; keywords: readonly string[]; description?: string }): SearchableText {
  return { title: tokenise(fields.title), keywords: fields.keywords.flatMap(tokenise), description: tokenise(fields.description ?? '') };
}

/** Query tokens; stopwords are dropped unless the query holds nothing else. */
export function queryTokens(query: string): string[] {
  const tokens = tokenise(query);
  const meaningful = tokens.filter((token) => !STOPWORDS.has(token));
  return meaningful.length > 0 ? meaningful : tokens;
}

function tokenScore(token: string, text: SearchableText): number {
  let best = 0;
  for (const field of ['title', 'keywords', 'description'] as const) {
    for (const candidate of text[field]) {
      const weight = candidate === token ? WEIGHTS[field] : candidate.startsWith(token) ? WEIGHTS[field] * PREFIX_FACTOR : 0;
      if (weight > best) best = weight;
    }
  }
  return best;
}

function containsPhrase(haystack: readonly string[], phrase: readonly string[]): boolean {
  for (let start = 0; start + phrase.length <= haystack.length; start += 1) {
    if (phrase.every((token, offset) => haystack[start + offset] === token)) return true;
  }
  return false;
}

/** The score of `text` for `tokens`, or undefined when a token matches nowhere; an empty query matches everything with 0. */
export function textScore(tokens: readonly string[], text: SearchableText): number | undefined {
  let score = 0;
  for (const token of tokens) {
    const found = tokenScore(token, text);
    if (found === 0) return undefined;
    score += found;
  }
  if (tokens.length > 1 && containsPhrase(text.title, tokens)) score += PHRASE_BONUS;
  return score;
}
