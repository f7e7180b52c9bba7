import { stringify } from 'yaml';
import type { Renderer } from './renderer.js';

export const yamlRenderer: Renderer = {
  name: 'yaml',
  render: (report) => stringify(report, { lineWidth: 0, aliasDuplicateObjects: false }),
};
