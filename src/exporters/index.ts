export { buildCaptions, formatTimestamp, renderSubtitles, SUBTITLE_DEFAULTS } from './subtitles.exporter.js';
export type { Caption, SubtitleFormat, SubtitleOptions } from './subtitles.exporter.js';
