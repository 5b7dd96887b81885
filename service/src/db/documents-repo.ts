import type pg from 'pg';

export interface DocumentRow {
  id: string;
  title: string;
  source: string;
  lang: string;
  metadata: Record<string, unknown>;
  content_sha256: string;
  model: string;
  chunk_count: number;
  created_at: Date;
  updated_at: Date;
}

export interface ChunkRow {
  id: string;
  document_id: string;
  idx: number;
  text: string;
  tokens: number;
}

export async function getDocument(db: pg.Pool, id: string): Promise<DocumentRow | undefined> {
  const r = await db.query<DocumentRow>('SELECT * FROM documents WHERE id = $1', [id]);
  return r.rows[0];
}

export async function getChunks(db: pg.Pool, documentId: string): Promise<ChunkRow[]> {
  return (await db.query<ChunkRow>('SELECT * FROM chunks WHERE document_id = $1 ORDER BY idx', [documentId])).rows;
}

/** Replaces the document and all its chunks in one transaction. */
export async function saveDocument(
  db: pg.Pool,
  doc: Omit<DocumentRow, 'created_at' | 'updated_at'>,
  chunks: ChunkRow[],
): Promise<void> {
  const c = await db.connect();
  try {
    await c.query('BEGIN');
    await c.query(
      `INSERT INTO documents (id, title, source, lang, metadata, content_sha256, model, chunk_count)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
       ON CONFLICT (id) DO UPDATE SET title=$2, source=$3, lang=$4, metadata=$5, content_sha256=$6, model=$7,
         chunk_count=$8, updated_at=now()`,
      [doc.id, doc.title, doc.source, doc.lang, JSON.stringify(doc.metadata), doc.content_sha256, doc.model, doc.chunk_count],
    );
    await c.query('DELETE FROM chunks WHERE document_id = $1', [doc.id]);
    if (chunks.length > 0) {
      await c.query(
        `INSERT INTO chunks (id, document_id, idx, text, tokens)
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::int[])`,
        [chunks.map((x) => x.id), chunks.map((x) => x.document_id), chunks.map((x) => x.idx), chunks.map((x) => x.text), chunks.map((x) => x.tokens)],
      );
    }
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}

export async function deleteDocument(db: pg.Pool, id: string): Promise<boolean> {
  const r = await db.query('DELETE FROM documents WHERE id = $1', [id]);
  return (r.rowCount ?? 0) > 0;
}

export interface ChunkWithDoc extends ChunkRow {
  title: string;
  source: string;
  lang: string;
  metadata: Record<string, unknown>;
}

export async function chunksByIds(db: pg.Pool, ids: string[]): Promise<Map<string, ChunkWithDoc>> {
  if (ids.length === 0) return new Map();
  const r = await db.query<ChunkWithDoc>(
    `SELECT c.*, d.title, d.source, d.lang, d.metadata FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.id = ANY($1::text[])`,
    [ids],
  );
  return new Map(r.rows.map((row) => [row.id, row]));
}
