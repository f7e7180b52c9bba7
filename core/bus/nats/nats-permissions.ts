import type { Permissions } from '@nats-io/jwt';
import { NODE_PODS_BUCKET, nodePodsKey } from '../../kube/node-pods.js';
import { SERVICE_TOOLS_NODE, subjectToken } from '../../protocol/bus-messages.js';
import { nodeToolsQueue, serviceToolsQueue } from '../../protocol/tool-queues.js';
import { DEAD_PREFIX } from './dead-jobs.js';
import { consumerName, JOBS_STREAM } from './jobs-stream.js';

/** Where the agent heartbeats are kept (bucket `seco-agents`). */
export const AGENTS_BUCKET = 'seco-agents';

/** The key of a node's heartbeat in `seco-agents`. */
export function heartbeatKey(node: string): string {
  return `agents.${subjectToken(node).replace(/~/g, '_')}`;
}

/**
 * The key of a tools runner's heartbeat in `seco-agents`, beside the agents' (`tools.` keys are not agents):
 * `tools.node.<node>` for a node's runner, `tools.services.<node>` for a `seco-tools` replica on that node.
 */
export function toolsHeartbeatKey(serves: 'node' | 'services', node: string): string {
  return `tools.${serves}.${subjectToken(node).replace(/~/g, '_')}`;
}

/**
 * A node's inbox prefix: replies to its requests (JetStream pulls, job tickets, KV reads) arrive below it,
 * and only that node's user may subscribe there — with the shared `_INBOX.>` any agent could read another
 * node's tickets.
 */
export function nodeInboxPrefix(node: string): string {
  return `_INBOX_${subjectToken(node)}`;
}

/** Where an agent asks the aggregator for its job's ticket (request/reply): the subject proves the node. */
export function ticketSubject(node: string): string {
  return `seco.tickets.${subjectToken(node)}`;
}

/** Where an agent asks the aggregator for its NATS user (aggregator/agent-enrollment.ts). */
export const ENROLL_SUBJECT = 'seco.enroll';
/** The bootstrap user's inbox: shared by every enrolling agent, so it carries nothing secret (a JWT is public). */
export const ENROLL_INBOX_PREFIX = '_INBOX_enroll';

/**
 * The bootstrap user every agent pod holds (one Secret for the DaemonSet): it may only ask to enroll. The
 * request carries the pod's projected service-account token, which only the aggregator (subscribed to
 * ENROLL_SUBJECT) receives; the answer is a JWT for a public key the agent made, useless without its seed.
 */
export function enrollPermissions(): Permissions {
  return { pub: { allow: [ENROLL_SUBJECT] }, sub: { allow: [`${ENROLL_INBOX_PREFIX}.>`] } };
}

/** Where an agent publishes a job's outcome and findings: `seco.progress.<node>.<scan>`, `seco.findings.<node>.<scan>`. */
export function nodeScanSubject(kind: 'progress' | 'findings', node: string, scanId: string): string {
  return `seco.${kind}.${subjectToken(node)}.${subjectToken(scanId)}`;
}

/** Pulling and settling one work queue's jobs, and reporting its dead jobs: nothing else of the stream. */
function queueTaker(queue: string): string[] {
  const consumer = consumerName(queue);
  return [
    `$JS.API.CONSUMER.INFO.${JOBS_STREAM}.${consumer}`,
    `$JS.API.CONSUMER.MSG.NEXT.${JOBS_STREAM}.${consumer}`,
    `$JS.ACK.${JOBS_STREAM}.${consumer}.>`,
    `${DEAD_PREFIX}${subjectToken(queue)}`,
  ];
}

/**
 * What one node's agent may do on the bus, and nothing more (nats-server matches these against every PUB
 * and SUB): pull and settle its own node's jobs; publish its own node's outcomes, findings, runtime events,
 * dead jobs and heartbeat; ask for its own tickets; read its own node's pods; receive replies in its own
 * inbox. No stream or consumer is created, changed or deleted by an agent, no other node's queue is
 * reachable, and no scan subject (what the plugin prints) can be published.
 */
export function agentPermissions(node: string): Permissions {
  const token = subjectToken(node);
  const pods = `$KV.${NODE_PODS_BUCKET}.${nodePodsKey(node)}`;
  return {
    pub: {
      allow: [
        '$JS.API.INFO',
        ...queueTaker(node),
        // The tools runner in the agent's pod enrolls with the same pod token, so it is this node's user too:
        // it takes the node's tools queue (core/protocol/tool-queues.ts) and keeps its own heartbeat.
        ...queueTaker(nodeToolsQueue(node)),
        `$KV.${AGENTS_BUCKET}.${toolsHeartbeatKey('node', node)}`,
        `seco.progress.${token}.*`,
        `seco.findings.${token}.*`,
        `seco.events.${token}`,
        ticketSubject(node),
        ENROLL_SUBJECT, // renewal of its own user; the token it sends binds it to its pod's node
        `$JS.API.STREAM.INFO.KV_${AGENTS_BUCKET}`,
        `$KV.${AGENTS_BUCKET}.${heartbeatKey(node)}`,
        `$JS.API.STREAM.INFO.KV_${NODE_PODS_BUCKET}`,
        `$JS.API.DIRECT.GET.KV_${NODE_PODS_BUCKET}.${pods}`,
        // An ordered consumer filtered to this node's key only (the subject form of CONSUMER.CREATE,
        // nats-server ≥ 2.9, carries the filter, so the permission can pin it).
        `$JS.API.CONSUMER.CREATE.KV_${NODE_PODS_BUCKET}.*.${pods}`,
      ],
    },
    sub: { allow: [`${nodeInboxPrefix(node)}.>`] },
  };
}

/**
 * What a `seco-tools` replica may do (the Service tools' runner, enrolled as SERVICE_TOOLS_NODE with the
 * seco-tools service account's pod token): pull and settle the Service tools queue only, publish the outcomes
 * and findings of SERVICE_TOOLS_NODE's jobs and their dead jobs, ask for their tickets, keep its own
 * heartbeat (`tools.services.<its node>`) and renew its user. No node's queue, no runtime events, no pods.
 */
export function serviceToolsPermissions(replicaNode: string): Permissions {
  const token = subjectToken(SERVICE_TOOLS_NODE);
  return {
    pub: {
      allow: [
        '$JS.API.INFO',
        ...queueTaker(serviceToolsQueue()),
        `seco.progress.${token}.*`,
        `seco.findings.${token}.*`,
        ticketSubject(SERVICE_TOOLS_NODE),
        ENROLL_SUBJECT,
        `$JS.API.STREAM.INFO.KV_${AGENTS_BUCKET}`,
        `$KV.${AGENTS_BUCKET}.${toolsHeartbeatKey('services', replicaNode)}`,
      ],
    },
    sub: { allow: [`${nodeInboxPrefix(SERVICE_TOOLS_NODE)}.>`] },
  };
}

/** The aggregator coordinates everything in the account: streams, every node's queue, scans, KV. */
export function aggregatorPermissions(): Permissions {
  return { pub: { allow: ['>'] }, sub: { allow: ['>'] } };
}
