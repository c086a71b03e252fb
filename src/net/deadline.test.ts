import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deadline } from './deadline.js';

const errors = { timeout: () => new Error('timed out'), cancelled: () => new Error('cancelled') };

void describe('Deadline', () => {
  void it('rejects a pending race with the timeout error', async () => {
    const deadline = new Deadline(50, undefined, errors);
    await assert.rejects(deadline.race(new Promise(() => {})), { message: 'timed out' });
    assert.equal(deadline.aborted, true);
    assert.equal(deadline.reason?.message, 'timed out');
  });

  void it('settles like the promise when it wins, and stays open', async () => {
    const deadline = new Deadline(1000, undefined, errors);
    assert.equal(await deadline.race(Promise.resolve(7)), 7);
    await assert.rejects(deadline.race(Promise.reject(new Error('own'))), { message: 'own' });
    assert.equal(deadline.aborted, false);
    deadline.dispose();
  });

  void it('turns the caller signal into the cancelled error, also when already aborted', async () => {
    const controller = new AbortController();
    const deadline = new Deadline(1000, controller.signal, errors);
    const seen: string[] = [];
    deadline.onAbort((reason) => seen.push(reason.message));
    controller.abort();
    assert.deepEqual(seen, ['cancelled']);
    assert.throws(() => deadline.throwIfAborted(), { message: 'cancelled' });

    const early = new Deadline(1000, AbortSignal.abort(), errors);
    assert.equal(early.reason?.message, 'cancelled');
    const late = await new Promise<string>((resolve) => early.onAbort((reason) => resolve(reason.message)));
    assert.equal(late, 'cancelled');
  });

  void it('never fires after dispose', async () => {
    const deadline = new Deadline(20, undefined, errors);
    deadline.dispose();
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(deadline.aborted, false);
  });
});
