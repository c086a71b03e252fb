import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { isEarshotError } from '../domain/errors.js';
import { WHISPER_DATA_DIR } from '../../test/helpers/shared-data.js';
import { createEnglishNormalizer, loadSpellingMap } from './english-normalizer.js';

// A hand-made spelling map keeps most cases independent of the shared data; the real english.json
// is checked separately below.
const normalize = createEnglishNormalizer({ colour: 'color', counselled: 'counseled', organise: 'organize' });

function cases(table: readonly (readonly [string, string])[]): void {
  for (const [input, expected] of table) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(normalize(input), expected);
    });
  }
}

describe('english normalizer: numbers', () => {
  cases([
    ['twenty five', '25'],
    ['twenty-five', '25'],
    ['one hundred and two', '102'],
    ['one thousand five hundred', '1500'],
    ['two thousand and five', '2005'],
    ['twelve hundred', '1200'],
    ['three million', '3000000'],
    ['3.5 million', '3500000'],
    ['one and a half million', '1500000'],
    ['two and a half', '2.5'],
    ['two point five', '2.5'],
    ['zero point seven five', '0.75'],
    ['one point two three', '1.23'],
    ['nineteen ninety nine', '1999'],
    ['fourteen fifty-five', '1455'],
    ['oh seven', '07'],
    ['double five two', '552'],
    ['triple zero', '000'],
    ['minus three', '-3'],
    ['it is ten', 'it is 10'],
    ['one', 'one'],
    ['ones and twos', 'ones and 2s'],
    ['1,000,000 people', '1000000 people'],
  ]);
});

describe('english normalizer: ordinals, plurals, currency and percent', () => {
  cases([
    ['the twenty-first century', 'the 21st century'],
    ['first second third fourth', '1st 2nd 3rd 4th'],
    ['fifth ninth twelfth', '5th 9th 12th'],
    ['the one hundredth time', 'the 100th time'],
    ['in the twenties', 'in the 20s'],
    ['the fiftieth', 'the 50th'],
    ['1st place', '1st place'],
    // The abbreviation rule for "St." runs before numbers are read, as in the reference rules.
    ['1 st place', 'one saint place'],
    ['five dollars', '$5'],
    ['ten pounds', '£10'],
    ['two dollars and seven cents', '$2.07'],
    ['fifty cents', '¢50'],
    ['$0.5', '¢50'],
    ['$1.50', '$1.50'],
    ['ten percent', '10%'],
    ['fifty per cent', '50%'],
    ['costs $', 'costs'],
    ['dollars', 'dollars'],
  ]);
});

describe('english normalizer: contractions, titles and fillers', () => {
  cases([
    ["He won't go", 'he will not go'],
    ["I can't", 'i can not'],
    ["let's go", 'let us go'],
    ["I've been there", 'i have been there'],
    ["she's been", 'she has been'],
    ["it's here", 'it is here'],
    ["they're", 'they are'],
    ["we'd", 'we would'],
    ["you'll", 'you will'],
    ["I'm", 'i am'],
    ["isn't", 'is not'],
    ['gonna wanna gotta', 'going to want to got to'],
    ['Mr. Smith and Dr. Jones', 'mister smith and doctor jones'],
    ['St. Paul', 'saint paul'],
    ['um I uh think hmm so', 'i think so'],
  ]);
});

describe('english normalizer: spelling, brackets, punctuation and symbols', () => {
  cases([
    ['The Colour', 'the color'],
    ['HIS BELLY COUNSELLED HIM', 'his belly counseled him'],
    ['[NOISE] hello <unk> there', 'hello there'],
    ['well (laughs) yes', 'well yes'],
    [
      '"the earliest book, the Gutenberg, or ""forty-two line Bible"",',
      'the earliest book the gutenberg or 42 line bible',
    ],
    ['Hello, world! How are you?', 'hello world how are you'],
    ['picture-books; letterpress.', 'picture books letterpress'],
    ['naïve café', 'naive cafe'],
    ['Œuvre straße', 'oeuvre strasse'],
    ['  spaced\tout \n text ', 'spaced out text'],
    ['etc. and so on.', 'etc and so on'],
  ]);

  it('treats the same words written differently as equal', () => {
    assert.equal(normalize('Twenty-five colour, Mr. Brown!'), normalize('25 color mister brown'));
    assert.notEqual(normalize('twenty five'), normalize('twenty six'));
  });
});

describe('loadSpellingMap', () => {
  it("reads Whisper's english.json", async () => {
    const map = await loadSpellingMap(path.join(WHISPER_DATA_DIR, 'english.json'));
    assert.ok(Object.keys(map).length > 1000);
    assert.equal(map.colour, 'color');
    const real = createEnglishNormalizer(map);
    assert.equal(real('The neighbour organised a catalogue'), 'the neighbor organized a catalog');
    // Only whole words are mapped, and words outside the map are left alone.
    assert.equal(real('constructor colours'), 'constructor colors');
  });

  it('rejects a file that is not a string map', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'earshot-spelling-'));
    try {
      const bad = path.join(dir, 'bad.json');
      await writeFile(bad, JSON.stringify({ colour: 1 }));
      await assert.rejects(
        loadSpellingMap(bad),
        (error) => isEarshotError(error) && /colour/.test(error.message),
      );
      await assert.rejects(loadSpellingMap(path.join(dir, 'absent.json')), (error) => isEarshotError(error));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
