import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { fail } from '../../contract';

/** A YAML value with the line of every key and item, so refusals can name the line. */
export interface LocatedYaml {
  value: unknown;
  /** Path ("services.api.ports.0") → 1-based line. */
  lines: Map<string, number>;
  file: string;
}

export const pathKey = (path: (string | number)[]): string => path.join('.');

/** The line of the nearest located ancestor of `path` (a key always has one). */
export function lineOf(doc: LocatedYaml, path: (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const line = doc.lines.get(pathKey(path.slice(0, n)));
    if (line !== undefined) return line;
  }
  return 1;
}

/**
 * Parses YAML into plain values while recording lines. Anchors, aliases and merge keys
 * are refused: they hide what a key means from a reviewer, and the stack needs none.
 */
export function parseLocatedYaml(source: string, file: string): LocatedYaml {
  const counter = new LineCounter();
  const doc = parseDocument(source, { lineCounter: counter, merge: false, uniqueKeys: true });
  const lineAt = (offset: number | undefined) => (offset === undefined ? 1 : counter.linePos(offset).line);
  const firstError = doc.errors[0];
  if (firstError) throw fail('STACK_COMPOSE_INVALID', { file, line: lineAt(firstError.pos[0]), reason: firstError.message.split('\n')[0] ?? 'YAML syntax' });
  const lines = new Map<string, number>();

  const walk = (node: Node | null | undefined, path: (string | number)[]): unknown => {
    if (node === null || node === undefined) return null;
    if (node.anchor || isAlias(node)) {
      throw fail('STACK_COMPOSE_UNSUPPORTED', { file, line: lineAt(node.range?.[0]), key: `${pathKey(path) || '(root)'} (YAML anchor/alias)` });
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : '';
        const childPath = [...path, key];
        lines.set(pathKey(childPath), lineAt(keyNode?.range?.[0]));
        out[key] = walk(pair.value as Node | null, childPath);
      }
      return out;
    }
    if (isSeq(node)) {
      return node.items.map((item, i) => {
        const childPath = [...path, i];
        lines.set(pathKey(childPath), lineAt((item as Node | null)?.range?.[0]));
        return walk(item as Node | null, childPath);
      });
    }
    if (isScalar(node)) return node.value;
    return null;
  };

  return { value: walk(doc.contents as Node | null, []), lines, file };
}
