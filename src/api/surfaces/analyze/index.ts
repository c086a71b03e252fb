export { registerAnalyzeRoutes } from './analyze.routes.js';
export type { AnalyzeApiDeps } from './analyze.routes.js';
