/**
 * One time budget for a whole fetch (DNS, connect, every redirect, headers and body) plus the
 * caller's cancel signal, behind one abort. Per-phase timeouts would let a server that dribbles a
 * byte every few seconds hold a download open forever.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly detachCaller: () => void;

  constructor(
    timeoutMs: number,
    callerSignal: AbortSignal | undefined,
    errors: { timeout: () => Error; cancelled: () => Error },
  ) {
    this.timer = setTimeout(() => this.abort(errors.timeout()), timeoutMs);
    const onCallerAbort = () => this.abort(errors.cancelled());
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    this.detachCaller = () => callerSignal?.removeEventListener('abort', onCallerAbort);
    if (callerSignal?.aborted) onCallerAbort();
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  /** The error that ended the budget (timeout or cancel), once it has ended. */
  get reason(): Error | undefined {
    return this.aborted ? (this.controller.signal.reason as Error) : undefined;
  }

  throwIfAborted(): void {
    const reason = this.reason;
    if (reason) throw reason;
  }

  /** Calls `listener` once when the budget ends; returns a function that removes it. */
  onAbort(listener: (reason: Error) => void): () => void {
    const signal = this.controller.signal;
    const handler = () => listener(signal.reason as Error);
    if (signal.aborted) {
      queueMicrotask(handler);
      return () => {};
    }
    signal.addEventListener('abort', handler, { once: true });
    return () => signal.removeEventListener('abort', handler);
  }

  /** Settles like `promise`, or rejects with the abort reason if the budget ends first. */
  race<T>(promise: Promise<T>): Promise<T> {
    let stop = () => {};
    const aborted = new Promise<never>((_resolve, reject) => {
      stop = this.onAbort(reject);
    });
    return Promise.race([promise, aborted]).finally(() => stop());
  }

  /** Stops the timer and forgets the caller's signal; call once the fetch has fully ended. */
  dispose(): void {
    clearTimeout(this.timer);
    this.detachCaller();
  }

  private abort(reason: Error): void {
    if (this.aborted) return;
    this.dispose();
    this.controller.abort(reason);
  }
}
