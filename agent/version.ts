import { buildInfo } from '../core/build/build-info.js';

/** The agent's version: in heartbeats, and in stored SBOMs (an SBOM by another version is not trusted). */
export const AGENT_VERSION = buildInfo().version;
