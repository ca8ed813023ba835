// This file is yours: `toolwright generate` creates it once and never overwrites it.
// Put request or response handling here that toolwright.yaml cannot express, for example a header
// computed per call, or trimming a large response before the model sees it.
import type { Hooks } from './runtime/hooks.js';

export const hooks: Hooks = {
  // beforeRequest: (request, { tool }) => ({ ...request, headers: { ...request.headers, 'x-tool': tool.name } }),
  // afterResponse: (response) => response,
};
