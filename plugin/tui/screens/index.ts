import type { ScreenName } from '../ui-state.js';
import { eventsScreen } from './events-screen.js';
import { findingsScreen } from './findings-screen.js';
import { nodesScreen } from './nodes-screen.js';
import { scansScreen } from './scans-screen.js';
import type { ScreenModel } from './screen-model.js';

/** One model per screen; a new screen is one file and one line here (and its name in ui-state). */
export const SCREEN_MODELS: Record<ScreenName, ScreenModel> = {
  events: eventsScreen,
  findings: findingsScreen,
  scans: scansScreen,
  nodes: nodesScreen,
};
