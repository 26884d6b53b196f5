import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { count } from '../runtime';

// Argon2id with OWASP's minimum (19 MiB memory, 2 iterations, 1 lane). At most two hashes run at
// once: each takes ~19 MiB and a core, and a burst of logins must not starve the event loop's
// other work or exhaust memory; excess callers wait in line.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 as const }; // 2 = Argon2id
const MAX_CONCURRENT = 2;

let running = 0;
const waiting: (() => void)[] = [];

async function limited<T>(fn: () => Promise<T>): Promise<T> {
	if (running >= MAX_CONCURRENT) await new Promise<void>((r) => waiting.push(r));
	running++;
	try {
		return await fn();
	} finally {
		running--;
		waiting.shift()?.();
	}
}

export function hashPassword(password: string): Promise<string> {
	return limited(() => argon2Hash(password, OPTIONS));
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
	countHash();
	return limited(() => argon2Verify(hash, password).catch(() => false));
}

// Counted so tests and operators can see how many hashes login throttling let through.
function countHash() {
	try {
		count('auth.password_verifications');
	} catch {
		// No runtime (unit tests call this directly): nothing to count into.
	}
}
