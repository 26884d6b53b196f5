import { boardDurabilityHarness } from './board-durability.harness';

// The durability harness on two servers sharing PostgreSQL and Redis (README › Several machines):
// clients spread over both, the first SIGKILLed 5 times and then SIGTERMed while the second
// goes on serving; the same checks, and the second's clients must converge with PostgreSQL
// without ever reloading, which they can only through the Redis relay. Five kills, not the
// one-server run's ten (issue 3's count): two servers take twice as long per kill, and CI runs
// near its 30 minutes on a slow machine (performance.md › Money); BOARD_DURABILITY_KILLS=10
// runs the full count.
await boardDurabilityHarness({ instances: 2, kills: 5 });
