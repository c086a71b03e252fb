/**
 * Recognises what a file is from its first bytes, so that a rejected upload can be described to the
 * person who sent it ("it looks like an HTML page") and so that text files never reach ffprobe:
 * playlists (HLS `#EXTM3U`, `ffconcat`, DASH manifests) make ffmpeg open the other files they name,
 * which would let an upload read files on this server.
 */

export interface FileKind {
  /** What a person would call it, written to follow "it looks like": `an HTML page`, `a PNG image`. */
  label: string;
  /** True for audio/video containers ffmpeg may read; false for everything that is certainly not media. */
  media: boolean;
  /** Short id for code that needs to branch on the kind. */
  id: FileKindId;
}

export type FileKindId =
  | 'wav'
  | 'flac'
  | 'ogg'
  | 'mp3'
  | 'mp4'
  | 'matroska'
  | 'amr'
  | 'aiff'
  | 'text'
  | 'html'
  | 'xml'
  | 'json'
  | 'playlist'
  | 'pdf'
  | 'zip'
  | 'gzip'
  | 'archive'
  | 'png'
  | 'jpeg'
  | 'gif'
  | 'image'
  | 'webp'
  | 'executable';

/** How many leading bytes {@link sniffFileKind} looks at; callers read this many. */
export const SNIFF_BYTES = 4096;

const kind = (id: FileKindId, label: string, media: boolean): FileKind => ({ id, label, media });

function startsWith(head: Uint8Array, signature: readonly number[] | string, at = 0): boolean {
  const bytes = typeof signature === 'string' ? [...signature].map((c) => c.charCodeAt(0)) : signature;
  if (head.length < at + bytes.length) return false;
  return bytes.every((b, i) => head[at + i] === b);
}

/** Binary signatures, checked first: some media formats (AMR) begin with readable ASCII. */
function sniffBinary(head: Uint8Array): FileKind | undefined {
  if (startsWith(head, 'RIFF') && startsWith(head, 'WAVE', 8)) return kind('wav', 'a WAV file', true);
  if (startsWith(head, 'RIFF') && startsWith(head, 'WEBP', 8)) return kind('webp', 'a WebP image', false);
  if (startsWith(head, 'fLaC')) return kind('flac', 'a FLAC file', true);
  if (startsWith(head, 'OggS')) return kind('ogg', 'an Ogg file', true);
  if (startsWith(head, 'ID3')) return kind('mp3', 'an MP3 file', true);
  if (startsWith(head, 'ftyp', 4)) return kind('mp4', 'an MP4/M4A/MOV file', true);
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return kind('matroska', 'a WebM/Matroska file', true);
  if (startsWith(head, '#!AMR')) return kind('amr', 'an AMR file', true);
  if (startsWith(head, 'FORM') && (startsWith(head, 'AIFF', 8) || startsWith(head, 'AIFC', 8))) {
    return kind('aiff', 'an AIFF file', true);
  }
  if (startsWith(head, '%PDF-')) return kind('pdf', 'a PDF document', false);
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    return kind('zip', 'a ZIP archive or an Office document', false);
  }
  if (startsWith(head, [0x1f, 0x8b])) return kind('gzip', 'a gzip-compressed file', false);
  if (startsWith(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]) || startsWith(head, 'Rar!\x1a\x07')) {
    return kind('archive', 'a compressed archive', false);
  }
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    return kind('png', 'a PNG image', false);
  if (startsWith(head, [0xff, 0xd8, 0xff])) return kind('jpeg', 'a JPEG image', false);
  if (startsWith(head, 'GIF87a') || startsWith(head, 'GIF89a')) return kind('gif', 'a GIF image', false);
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46]) || startsWith(head, 'MZ\x90\x00')) {
    return kind('executable', 'a program (executable file)', false);
  }
  return undefined;
}

/** The text of `head` when it is plausibly a text file (UTF-8, no control bytes), else undefined. */
function asText(head: Uint8Array): string | undefined {
  // Drop up to 3 bytes at the end: the sniff window may cut a multi-byte character in two.
  for (let cut = 0; cut <= Math.min(3, head.length - 1); cut++) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
    } catch {
      continue;
    }
    // Tab, LF, FF, CR are normal in text; any other control byte means binary data.
    return /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text) ? undefined : text;
  }
  return undefined;
}

function sniffText(text: string): FileKind {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  const lower = start.slice(0, 512).toLowerCase();
  if (lower.startsWith('#extm3u') || lower.startsWith('ffconcat') || lower.startsWith('[playlist]')) {
    return kind('playlist', 'a playlist (upload the media file itself, not a playlist)', false);
  }
  if (/^<!doctype html|^<html[\s>]|^<head[\s>]|^<body[\s>]/.test(lower) || /<html[\s>]/.test(lower)) {
    return kind('html', 'an HTML web page', false);
  }
  if (lower.startsWith('<mpd') || (lower.startsWith('<?xml') && lower.includes('<mpd'))) {
    return kind('playlist', 'a streaming manifest (upload the media file itself)', false);
  }
  if (lower.startsWith('<?xml') || lower.startsWith('<svg')) return kind('xml', 'an XML document', false);
  if (/^[[{]/.test(start)) return kind('json', 'JSON data', false);
  return kind('text', 'a text file', false);
}

/**
 * What the first bytes of a file say it is, or undefined when they match nothing known (ffprobe
 * then decides). `head` should be the first {@link SNIFF_BYTES} bytes, or the whole file if shorter.
 */
export function sniffFileKind(head: Uint8Array): FileKind | undefined {
  if (head.length === 0) return undefined;
  const binary = sniffBinary(head);
  if (binary) return binary;
  const text = asText(head);
  return text === undefined ? undefined : sniffText(text);
}
