import { describe, expect, it } from 'vitest';
import { chunkText, splitSentences } from '../../../service/src/text/chunker.js';

// A deterministic token counter: one token per CJK character, one per Latin word.
const count = (t: string) => (t.match(/\p{Script=Han}|[A-Za-z0-9]+|[^\s\p{Script=Han}A-Za-z0-9]/gu) ?? []).length;

describe('splitSentences', () => {
  it('splits on Chinese sentence punctuation', () => {
    expect(splitSentences('高血压需要治疗。患者应限盐！是否需要复查？每日监测；按时服药')).toEqual(['高血压需要治疗。', '患者应限盐！', '是否需要复查？', '每日监测；', '按时服药']);
  });

  it('splits English sentences but not decimals or abbreviations inside numbers', () => {
    expect(splitSentences('Give 0.5 mg adrenaline. Repeat after 5 min! Is it working? Yes')).toEqual(['Give 0.5 mg adrenaline.', 'Repeat after 5 min!', 'Is it working?', 'Yes']);
  });

  it('handles mixed text, closing quotes and line breaks', () => {
    expect(splitSentences('诊断为“糖尿病。”Then start metformin.\nNext line')).toEqual(['诊断为“糖尿病。”', 'Then start metformin.', 'Next line']);
  });
});

describe('chunkText', () => {
  it('packs whole sentences under the token budget', () => {
    const text = Array.from({ length: 30 }, (_, i) => `第${i}句话内容。`).join('');
    const chunks = chunkText(text, { maxTokens: 20, countTokens: count });
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.tokens).toBeLessThanOrEqual(20);
      expect(c.text.endsWith('。')).toBe(true);
    }
    expect(chunks.map((c) => c.text).join('')).toBe(text);
  });

  it('repeats the last sentence as overlap when asked', () => {
    const chunks = chunkText('One two three. Four five six. Seven eight nine. Ten eleven twelve.', { maxTokens: 8, overlapSentences: 1, countTokens: count });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks[1]!.text.startsWith(chunks[0]!.text.split('. ').pop()!.replace(/\.$/, ''))).toBe(true);
  });

  it('cuts an over-long sentence at clauses, then by characters, never inside a code point', () => {
    const long = '患者，' .repeat(30) + '😀'.repeat(50) + '结束。';
    const chunks = chunkText(long, { maxTokens: 16, countTokens: count });
    for (const c of chunks) {
      expect(count(c.text)).toBeLessThanOrEqual(16);
      expect(c.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no lone high surrogate
    }
    expect(chunks.map((c) => c.text).join('')).toBe(long);
  });

  it('returns nothing for blank text and keeps indexes in order', () => {
    expect(chunkText('   \n ', { maxTokens: 10, countTokens: count })).toEqual([]);
    const c = chunkText('A. B. C.', { maxTokens: 2, countTokens: count });
    expect(c.map((x) => x.index)).toEqual(c.map((_, i) => i));
  });
});
