import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { EarshotError, type ErrorCode, ErrorCodes } from '../../domain/errors.js';
import type { EngineRuntimeOptions } from '../asr/asr-engine.js';
import type { HostMethod, HostMethods, HostRequest, HostResponse } from './protocol.js';

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

interface Pending {
  method: HostMethod;
  label: string;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  onProgress?: (fraction: number) => void;
}

/** The child entry beside this file, as .js when compiled and .ts under tsx. */
const hostEntry = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  `engine-host.main${path.extname(fileURLToPath(import.meta.url))}`,
);

/**
 * The worker's handle on its engine host child process. Starts the child on first use, restarts it
 * after a crash, and turns a crash into an `engineCrashed` error for every call it interrupted.
 */
export class EngineHost {
  private child: ChildProcess | undefined;
  private ready: Promise<ChildProcess> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly runtime: EngineRuntimeOptions & { logLevel: string },
    private readonly log: Logger,
  ) {}

  async call<M extends HostMethod>(
    method: M,
    params: HostMethods[M]['params'],
    options: CallOptions & { label?: string } = {},
  ): Promise<HostMethods[M]['result']> {
    options.signal?.throwIfAborted();
    const child = await this.start();
    const id = this.nextId++;
    return new Promise<HostMethods[M]['result']>((resolve, reject) => {
      const onAbort = (): void => {
        child.send({ type: 'cancel', id } satisfies HostRequest);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const settle =
        <T>(fn: (value: T) => void) =>
        (value: T): void => {
          options.signal?.removeEventListener('abort', onAbort);
          this.pending.delete(id);
          fn(value);
        };
      this.pending.set(id, {
        method,
        label: options.label ?? method,
        resolve: settle(resolve as (v: unknown) => void),
        reject: settle(reject),
        ...(options.onProgress && { onProgress: options.onProgress }),
      });
      child.send({ type: 'call', id, method, params });
    });
  }

  /** Stops the child; pending calls reject. */
  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  private start(): Promise<ChildProcess> {
    if (this.closed) return Promise.reject(new EarshotError('internal', 'engine host is closed'));
    this.ready ??= new Promise<ChildProcess>((resolve, reject) => {
      const child = fork(hostEntry, [JSON.stringify(this.runtime)], {
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      this.child = child;
      child.on('message', (message: HostResponse) => {
        if (message.type === 'ready') resolve(child);
        else this.onMessage(message);
      });
      child.once('error', (error) => reject(error));
      child.once('exit', (code, signal) => {
        this.child = undefined;
        this.ready = undefined;
        reject(
          new EarshotError('engineCrashed', `The inference process could not start (exit ${code ?? signal})`),
        );
        this.failPending(code, signal);
      });
    });
    return this.ready;
  }

  private onMessage(message: Exclude<HostResponse, { type: 'ready' }>): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === 'progress') pending.onProgress?.(message.fraction);
    else if (message.type === 'result') pending.resolve(message.result);
    else {
      const code = (
        Object.hasOwn(ErrorCodes, message.error.code) ? message.error.code : 'internal'
      ) as ErrorCode;
      pending.reject(new EarshotError(code, message.error.message));
    }
  }

  private failPending(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.pending.size === 0) return;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    for (const pending of this.pending.values()) {
      const hint =
        signal === 'SIGABRT' || code === 134
          ? ' The model file may be corrupt; run `earshot models verify`.'
          : signal === 'SIGKILL'
            ? ' It may have run out of memory.'
            : '';
      this.log.error({ method: pending.method, code, signal }, 'engine host crashed');
      pending.reject(
        new EarshotError('engineCrashed', `The inference process ${how} during ${pending.label}.${hint}`),
      );
    }
    this.pending.clear();
  }
}
