import { MemoryBus } from '../../../core/bus/memory/memory-bus.js';
import { busContract } from './bus-contract.js';

// In process, a "peer" is the same bus: every component of a local run shares one instance.
busContract('in-process', {
  open: async (options) => new MemoryBus(options),
  peer: async (bus) => bus,
});
