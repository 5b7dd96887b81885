// Splits clinical text into retrieval chunks: first into sentences (Chinese 。！？；… and
// English . ! ? ; followed by space, plus line breaks), then packs whole sentences into
// chunks under the model's token budget. A sentence longer than the budget is cut at
// clause punctuation (，、,:) and, as a last resort, by characters — never mid code point.
export interface ChunkOptions {
  maxTokens: number;
  /** Sentences carried over from the previous chunk for context. */
  overlapSentences?: number;
  countTokens: (text: string) => number;
}

export interface Chunk {
  index: number;
  text: string;
  tokens: number;
}

const SENTENCE_END = /[。！？；!?;…]+["'”’）)」』]*|\.(?=\s|$)["'”’)]*|\n{2,}|\n/gu;
const CLAUSE_END = /[，、：,:]/u;

export function splitSentences(text: string): string[] {
  const clean = text.replace(/\r\n?/g, '\n').normalize('NFC');
  const out: string[] = [];
  let last = 0;
  for (const m of clean.matchAll(SENTENCE_END)) {
    const end = (m.index ?? 0) + m[0].length;
    const s = clean.slice(last, end).trim();
    if (s) out.push(s);
    last = end;
  }
  const tail = clean.slice(last).trim();
  if (tail) out.push(tail);
  return out;
}

function splitLong(sentence: string, opts: ChunkOptions): string[] {
  if (opts.countTokens(sentence) <= opts.maxTokens) return [sentence];
  const parts: string[] = [];
  let buf = '';
  for (const ch of Array.from(sentence)) {
    buf += ch;
    if (CLAUSE_END.test(ch) && buf.length > 1) {
      parts.push(buf);
      buf = '';
    }
  }
  if (buf) parts.push(buf);
  const out: string[] = [];
  let cur = '';
  const flush = () => {
    if (cur.trim()) out.push(cur.trim());
    cur = '';
  };
  for (const p of parts) {
    if (opts.countTokens(cur + p) <= opts.maxTokens) {
      cur += p;
      continue;
    }
    flush();
    if (opts.countTokens(p) <= opts.maxTokens) {
      cur = p;
      continue;
    }
    // No clause break fits: cut by code points, halving the step until a piece fits.
    const chars = Array.from(p);
    let start = 0;
    while (start < chars.length) {
      let len = Math.min(chars.length - start, opts.maxTokens);
      while (len > 1 && opts.countTokens(chars.slice(start, start + len).join('')) > opts.maxTokens) len = Math.floor(len * 0.8);
      out.push(chars.slice(start, start + len).join('').trim());
      start += len;
    }
  }
  flush();
  return out.filter(Boolean);
}

/** Joins sentences with a space only between Latin text; Chinese sentences join directly. */
function join(a: string, b: string): string {
  if (!a) return b;
  const needsSpace = /[\p{Script=Latin}\d.,;:!?)]$/u.test(a) && /^[\p{Script=Latin}\d(]/u.test(b);
  return needsSpace ? `${a} ${b}` : /[\p{Script=Han}。！？；]$/u.test(a) || /^\p{Script=Han}/u.test(b) ? a + b : `${a} ${b}`;
}

export function chunkText(text: string, opts: ChunkOptions): Chunk[] {
  const overlap = opts.overlapSentences ?? 0;
  const sentences = splitSentences(text).flatMap((s) => splitLong(s, opts));
  const chunks: Chunk[] = [];
  let cur: string[] = [];
  let curText = '';
  const emit = () => {
    if (!curText) return;
    chunks.push({ index: chunks.length, text: curText, tokens: opts.countTokens(curText) });
  };
  for (const s of sentences) {
    const candidate = join(curText, s);
    if (cur.length > 0 && opts.countTokens(candidate) > opts.maxTokens) {
      emit();
      const carry = overlap > 0 ? cur.slice(-overlap) : [];
      cur = [...carry];
      curText = carry.reduce((acc, x) => join(acc, x), '');
      if (cur.length > 0 && opts.countTokens(join(curText, s)) > opts.maxTokens) {
        cur = [];
        curText = '';
      }
    }
    cur.push(s);
    curText = join(curText, s);
  }
  emit();
  return chunks;
}
