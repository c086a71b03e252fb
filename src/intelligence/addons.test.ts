import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAnalysesAvailable, requestedAnalyses } from './addons.js';

describe('analysis registry', () => {
  it('names the analyses a request asks for, and only those', () => {
    assert.deepEqual(requestedAnalyses({}), []);
    assert.deepEqual(
      requestedAnalyses({
        redactPii: { policies: ['email_address'], substitution: 'hash' },
        sentiment: true,
        entities: false,
        llmPrompts: [],
        summary: { type: 'gist' },
      }),
      ['redaction', 'sentiment', 'summary'],
    );
  });

  it('accepts every analysis this server has', () => {
    assert.doesNotThrow(() =>
      assertAnalysesAvailable(
        { entities: true, sentiment: true, keyPhrases: true, topics: true, chapters: true, questions: true },
        {},
      ),
    );
  });
});
