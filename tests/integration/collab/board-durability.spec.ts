import { boardDurabilityHarness } from './board-durability.harness';

// Issue 3, "Durability", on one server: 16 clients on 4 boards, 10 SIGKILLs, then a SIGTERM
// (board-durability.harness.ts says what is checked and how).
await boardDurabilityHarness({ instances: 1 });
