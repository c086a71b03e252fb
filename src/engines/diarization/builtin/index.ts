export { builtinDiarizationEngine } from './builtin.diarization.js';
