import type { Renderer } from './renderer.js';

export const jsonRenderer: Renderer = {
  name: 'json',
  render: (report) => `${JSON.stringify(report, null, 2)}\n`,
};
