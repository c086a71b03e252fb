/**
 * Work items the queue carries. A discriminated union with one handler each; the worker refuses
 * to start if a kind has no handler.
 */
export type QueueItem =
  | { kind: 'transcribe'; jobId: string }
  | {
      kind: 'deliver-webhook';
      jobId: string;
      url: string;
      /** Absent means POST (items queued before PUT existed have none). */
      method?: 'POST' | 'PUT';
      body: Record<string, unknown>;
      headers: Record<string, string>;
    };

export type QueueItemKind = QueueItem['kind'];
export const QUEUE_ITEM_KINDS: readonly QueueItemKind[] = ['transcribe', 'deliver-webhook'];

export interface EnqueueOptions {
  /** Attempts before the item is given up. */
  maxAttempts: number;
  /** Do not hand the item out before this many milliseconds from now. */
  delayMs?: number;
}

export interface ClaimedItem<K extends QueueItemKind = QueueItemKind> {
  /** Queue entry id (not the job id). */
  id: string;
  item: QueueItem & { kind: K };
  /** 1 for the first attempt. */
  attempt: number;
  maxAttempts: number;
  /** Proves ownership of the lease; a stale token cannot complete or extend the item. */
  leaseToken: string;
}

/** What proves ownership of a claimed item: enough to extend, finish or give it back. */
export type Lease = Pick<ClaimedItem, 'id' | 'leaseToken'>;

export interface ExpiredItem {
  id: string;
  item: QueueItem;
  attempts: number;
  /** True when the item has no attempts left and was moved to `failed`. */
  exhausted: boolean;
}

/**
 * A durable at-least-once queue with leases. Embedded: a table in the metadata database.
 * Scaled: BullMQ on Redis. One conformance suite runs against each.
 */
export interface JobQueue {
  enqueue(item: QueueItem, options: EnqueueOptions): Promise<string>;
  /**
   * Hands out the oldest ready item of one of `kinds`, leased to `workerId` for `leaseMs`.
   * Null when nothing is ready.
   */
  claim<K extends QueueItemKind>(
    kinds: readonly K[],
    workerId: string,
    leaseMs: number,
  ): Promise<ClaimedItem<K> | null>;
  /** Extends the lease; false when the lease was lost (expired and re-queued, or cancelled). */
  heartbeat(claimed: Lease, leaseMs: number): Promise<boolean>;
  /** Removes a finished item. False when the lease was lost. */
  complete(claimed: Lease): Promise<boolean>;
  /**
   * Gives a failed attempt back: re-queued after `delayMs` while attempts remain, otherwise
   * marked failed. Returns which happened, or 'lost' when the lease was no longer held.
   */
  retry(claimed: Lease, delayMs: number, reason: string): Promise<'requeued' | 'exhausted' | 'lost'>;
  /** Marks the item failed for good (no retry). */
  fail(claimed: Lease, reason: string): Promise<boolean>;
  /**
   * Re-queues items whose lease expired before `now`, or with `all`, every leased item (used on
   * start-up of an embedded server, whose previous workers are known to be dead).
   * The attempt that was cut off counts; items with no attempts left are marked failed.
   */
  recoverExpired(options?: { now?: Date; all?: boolean }): Promise<ExpiredItem[]>;
  /** Removes pending items for a job (e.g. when the job was deleted or cancelled). */
  removeForJob(jobId: string): Promise<number>;
  /** Counts by state, for health and tests. */
  counts(): Promise<{ ready: number; leased: number; failed: number }>;
  close(): Promise<void>;
}
