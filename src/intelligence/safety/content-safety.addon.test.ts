import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addonContext,
  buildTranscript,
  hourLongTranscript,
  TOPICS,
} from '../../../test/fixtures/transcripts.js';
import { classifyText } from './classifier.js';
import { contentSafetyAddon } from './content-safety.addon.js';

const labelsOf = (text: string) => Object.fromEntries(classifyText(text).map((l) => [l.label, l]));

describe('content safety classifier', () => {
  it('finds profanity with obscenity, including obfuscated and already-masked words', () => {
    assert.equal(labelsOf('What the fuck is this').profanity?.confidence, 0.95);
    assert.ok(labelsOf('That is a sh1t idea').profanity!.confidence >= 0.9);
    assert.equal(labelsOf('What the f*** is going on').profanity?.confidence, 0.85);
    assert.deepEqual(classifyText('The assassin took a class in Scunthorpe.'), []);
  });

  it('labels violence, drugs, alcohol, weapons, gambling, tobacco, health and disasters', () => {
    const cases: [string, string][] = [
      ['He was shot dead outside his home.', 'crime_violence'],
      ['Police seized cocaine and heroin at the port.', 'drugs'],
      ['We had vodka and beer all night.', 'alcohol'],
      ['The gunman carried a rifle and a pistol.', 'weapons'],
      ['They lost everything at the casino playing roulette.', 'gambling'],
      ['He smokes cigarettes and chews tobacco.', 'tobacco'],
      ['She was diagnosed with cancer and started chemotherapy.', 'health_issues'],
      ['The earthquake and tsunami destroyed the coast.', 'disasters'],
      ['The terrorist attack was claimed by an extremist group.', 'terrorism'],
      ['He told them to go back to your country, a white supremacist slogan.', 'hate_speech'],
    ];
    for (const [text, label] of cases) {
      const found = labelsOf(text)[label];
      assert.ok(
        found && found.confidence >= 0.8,
        `${label} in "${text}": ${JSON.stringify(classifyText(text))}`,
      );
    }
  });

  it('needs more than one ambiguous word', () => {
    assert.ok(labelsOf('I bet you will love this recipe.').gambling!.confidence < 0.5);
    assert.deepEqual(classifyText("I'll call Rob about the odd coffee mug."), []);
    assert.equal(labelsOf('The wildfire smoke spread.').tobacco, undefined);
    // Two agreeing words count more than one.
    assert.ok(labelsOf('The odds were good, so I placed a bet.').gambling!.confidence > 0.4);
  });

  it('grades severity by what happened', () => {
    const grave = labelsOf('The car crash killed hundreds of people.').accidents!;
    const minor = labelsOf('A minor car crash, no one was hurt.').accidents!;
    assert.equal(grave.confidence, minor.confidence);
    assert.ok(grave.severity >= 0.9 && minor.severity <= 0.45, `${grave.severity} vs ${minor.severity}`);
  });
});

describe('content safety add-on', () => {
  const transcript = buildTranscript(
    [
      ...TOPICS.bread.slice(0, 3),
      'Then the robbers came in with a shotgun and the cashier was shot dead.',
      'Police arrested a suspect for theft an hour later.',
      ...TOPICS.bread.slice(3, 6),
    ].join(' '),
    { sentencePauseMs: 2_500 }, // every sentence its own paragraph
  );

  it('is wanted only when content safety is asked for', () => {
    assert.equal(contentSafetyAddon.wanted({ contentSafety: { minConfidence: 0.5 } }), true);
    assert.equal(contentSafetyAddon.wanted({}), false);
  });

  it('lists only the passages with a label over the threshold, with their times', async () => {
    const result = await contentSafetyAddon.run(
      addonContext(transcript, { contentSafety: { minConfidence: 0.5 } }),
    );
    assert.equal(result.segments.length, 2);
    const [robbery, arrest] = result.segments;
    assert.equal(robbery!.text, 'Then the robbers came in with a shotgun and the cashier was shot dead.');
    const first = transcript.words.findIndex((w) => w.text === 'Then');
    assert.equal(robbery!.startMs, transcript.words[first]!.startMs);
    assert.equal(robbery!.endMs, transcript.words[first + 13]!.endMs);
    assert.deepEqual(
      robbery!.labels.map((l) => l.label),
      ['crime_violence', 'weapons'],
    );
    assert.deepEqual(
      arrest!.labels.map((l) => l.label),
      ['crime_violence'],
    );
    for (const label of [...robbery!.labels, ...arrest!.labels]) assert.ok(label.confidence >= 0.5);

    const crime = result.summary.crime_violence!;
    const expected = 1 - (1 - robbery!.labels[0]!.confidence) * (1 - arrest!.labels[0]!.confidence);
    assert.ok(Math.abs(crime - expected) < 1e-12);
    assert.deepEqual(Object.keys(result.summary), ['crime_violence', 'weapons']);
    assert.deepEqual(result.severitySummary.crime_violence, { low: 0, medium: 0.5, high: 0.5 });
  });

  it('drops labels under a higher threshold', async () => {
    const result = await contentSafetyAddon.run(
      addonContext(transcript, { contentSafety: { minConfidence: 0.9 } }),
    );
    assert.deepEqual(
      result.segments.map((s) => s.labels.map((l) => l.label)),
      [['crime_violence']],
    );
  });

  it('reports nothing for clean speech', async () => {
    const clean = buildTranscript(TOPICS.bread.join(' '));
    const result = await contentSafetyAddon.run(
      addonContext(clean, { contentSafety: { minConfidence: 0.5 } }),
    );
    assert.deepEqual(result, { segments: [], summary: {}, severitySummary: {} });
  });

  it('labels an hour of speech quickly', async () => {
    const hour = hourLongTranscript();
    const started = performance.now();
    const result = await contentSafetyAddon.run(
      addonContext(hour, { contentSafety: { minConfidence: 0.5 } }),
    );
    const ms = performance.now() - started;
    console.log(`content safety of ${hour.words.length} words: ${ms.toFixed(0)} ms`);
    assert.ok(ms < 5_000, `${ms} ms`);
    // The wildfire passages speak of disasters and of breathing problems; bread and football nothing.
    assert.ok(result.summary.disasters! > 0.9);
    assert.ok(result.segments.every((s) => !/sourdough|goalkeeper/.test(s.text) || s.labels.length > 0));
  });
});
