/** The agent's version: in heartbeats, and in stored SBOMs (an SBOM by another version is not trusted). */
export const AGENT_VERSION = '0.1.0';
