import { boardDurabilityHarness } from './board-durability.harness';

// The durability harness on two servers sharing PostgreSQL and Redis (README › Several machines):
// clients spread over both, the first SIGKILLed 10 times and then SIGTERMed while the second
// goes on serving; the same checks, and the second's clients must converge with PostgreSQL
// without ever reloading, which they can only through the Redis relay.
await boardDurabilityHarness({ instances: 2 });
