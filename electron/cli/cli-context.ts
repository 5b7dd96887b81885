import type { Command } from 'commander';
import type { CallEnvelope, Language, MethodName, OperationEvent, Request, Response } from '../core/contract';
import type { Core } from '../core/core';
import { openCore } from '../core/open-core';
import { languageFromLocale } from './cli-language';
import { exitCodeFor } from './exit-codes';
import { renderError, renderProgress } from './render-text';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Where the built renderer and docs live (next to the CLI in a build). */
  appRoot: string;
}

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
  lang?: Language;
}

/** Thrown inside an action to end the command with this exit code (after printing). */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/**
 * What every command file gets: the core (opened on first use), typed calls that print
 * the error and exit with its documented code, and operation following.
 */
export class CliContext {
  private core: Core | undefined;
  /** Set by long-running commands (the console) so the state stays open after the action. */
  keepAlive = false;

  constructor(readonly io: CliIo) {}

  globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals<GlobalOptions>();
  lang = (g: GlobalOptions): Language => g.lang ?? languageFromLocale(this.io.env);
  getCore = (g: GlobalOptions): Core => (this.core ??= openCore({ dataDir: g.dataDir, env: this.io.env }));

  close(): void {
    if (!this.keepAlive) this.core?.deps.db.close();
  }

  /** Returns the result, or prints the error (text or JSON) and ends with its exit code. */
  unwrap<T>(g: GlobalOptions, envelope: CallEnvelope<T>): T {
    if (envelope.ok) return envelope.result;
    if (g.json) this.io.stdout(JSON.stringify(envelope, null, 2));
    else this.io.stderr(renderError(envelope.error, this.lang(g)));
    throw new CliExit(exitCodeFor(envelope.error.code));
  }

  async call<M extends MethodName>(g: GlobalOptions, method: M, params: Request<M>): Promise<Response<M>> {
    return this.unwrap(g, (await this.getCore(g).dispatch(method, params)) as CallEnvelope<Response<M>>);
  }

  /** Streams an operation's events (lines, or NDJSON with --json) until it ends; returns its result. */
  async follow(g: GlobalOptions, operationId: string): Promise<unknown> {
    const print = (e: OperationEvent) => {
      if (g.json) return this.io.stdout(JSON.stringify(e));
      const line = renderProgress(e, this.lang(g));
      if (line) this.io.stdout(line);
    };
    const last = await this.getCore(g).operations.waitFor(operationId, print);
    if (last.type === 'failed') return this.unwrap({ ...g, json: false }, { ok: false, error: last.error });
    return last.type === 'done' ? last.result : undefined;
  }
}
