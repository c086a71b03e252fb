export { chaptersAddon } from './chapters.addon.js';
export { textTile, type TilingOptions, type TilingUnit } from './text-tiling.js';
