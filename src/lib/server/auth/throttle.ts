import { isIPv4, isIPv6 } from 'node:net';
import { eq, lt, sql } from 'drizzle-orm';
import type { Tx } from '../db';
import { rateLimits } from '../db/schema';

// Token buckets in PostgreSQL, shared by every instance. One statement takes a token: it inserts
// a full bucket minus one, or refills the stored bucket from the time since `updated_at` and takes
// one only if at least one is there. An empty bucket is left untouched (the ON CONFLICT update is
// skipped), so refused attempts cost nothing and there is never a permanent lockout.

export type Bucket = { capacity: number; refillPerSecond: number };

export const buckets = {
	// Per account (whether or not it exists): 5 guesses, then one a minute.
	loginAccount: { capacity: 5, refillPerSecond: 1 / 60 },
	// Per client address: a busy office behind one NAT still logs in; a spray from one host stops.
	loginIp: { capacity: 30, refillPerSecond: 30 / 60 },
	signupIp: { capacity: 10, refillPerSecond: 10 / 3600 },
	resetEmail: { capacity: 3, refillPerSecond: 3 / 3600 },
	resetIp: { capacity: 20, refillPerSecond: 20 / 3600 },
	verifyResend: { capacity: 3, refillPerSecond: 3 / 3600 }
} satisfies Record<string, Bucket>;

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Takes one token from the bucket `key`. `now` defaults to the database clock, so instances with
 * skewed clocks still agree; tests pass their own.
 */
export async function take(
	db: Tx,
	{ key, bucket, now }: { key: string; bucket: Bucket; now?: Date }
): Promise<TakeResult> {
	const at = now ? sql`${now.toISOString()}::timestamptz` : sql`clock_timestamp()`;
	const refilled = refilledTokens(bucket, at);
	const taken = await db
		.insert(rateLimits)
		.values({ key, tokens: bucket.capacity - 1, updatedAt: at })
		.onConflictDoUpdate({
			target: rateLimits.key,
			set: { tokens: sql`${refilled} - 1`, updatedAt: at },
			setWhere: sql`${refilled} >= 1`
		})
		.returning({ tokens: rateLimits.tokens });
	if (taken.length > 0) {
		// Buckets idle for a day are full again, so deleting them changes nothing; pruning now and
		// then keeps rotating addresses from growing the table without a separate job.
		if (Math.random() < 0.002) await prune(db, { now });
		return { ok: true };
	}
	const [row] = await db
		.select({ wait: sql<number>`(1 - ${refilled}) / ${bucket.refillPerSecond}::float8` })
		.from(rateLimits)
		.where(eq(rateLimits.key, key));
	return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(Number(row?.wait ?? 1))) };
}

function refilledTokens(bucket: Bucket, at: ReturnType<typeof sql>) {
	const elapsed = sql`greatest(0, extract(epoch from (${at} - ${rateLimits.updatedAt}))::float8)`;
	return sql`least(${bucket.capacity}::float8, ${rateLimits.tokens} + ${elapsed} * ${bucket.refillPerSecond}::float8)`;
}

/** Forgets a bucket (it is full again), e.g. an account's after its owner logs in. */
export async function reset(db: Tx, { key }: { key: string }) {
	await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

export async function prune(db: Tx, { now = new Date() }: { now?: Date } = {}) {
	await db.delete(rateLimits).where(lt(rateLimits.updatedAt, new Date(now.getTime() - 86_400_000)));
}

/** Takes from each bucket in order and stops at the first empty one. */
export async function takeAll(
	db: Tx,
	items: { key: string; bucket: Bucket }[],
	{ now }: { now?: Date } = {}
): Promise<TakeResult> {
	for (const item of items) {
		const result = await take(db, { ...item, now });
		if (!result.ok) return result;
	}
	return { ok: true };
}

// Keys. Emails are keyed lower-cased and trimmed, the same way accounts are matched.
export const keys = {
	loginAccount: (email: string) => `login:account:${normaliseEmail(email)}`,
	loginIp: (ip: string) => `login:ip:${clientKey(ip)}`,
	signupIp: (ip: string) => `signup:ip:${clientKey(ip)}`,
	resetEmail: (email: string) => `reset:email:${normaliseEmail(email)}`,
	resetIp: (ip: string) => `reset:ip:${clientKey(ip)}`,
	verifyResend: (userId: string) => `verify:user:${userId}`
};

function normaliseEmail(email: string) {
	return email.trim().toLowerCase();
}

/**
 * The part of a client address that identifies one client: an IPv4 address whole, an IPv6 address
 * by its /64 prefix (one subscriber usually holds a whole /64, so rotating within it is free).
 */
export function clientKey(ip: string): string {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
	if (mapped) return mapped[1]!;
	if (isIPv4(ip)) return ip;
	if (!isIPv6(ip)) return ip.slice(0, 64);
	const [head = '', tail = ''] = ip.toLowerCase().split('%')[0]!.split('::');
	const left = head ? head.split(':') : [];
	const right = ip.includes('::') && tail ? tail.split(':') : [];
	const groups = ip.includes('::')
		? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
		: left;
	return (
		groups
			.slice(0, 4)
			.map((g) => g.replace(/^0+(?=.)/, ''))
			.join(':') + '::/64'
	);
}
