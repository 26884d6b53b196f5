import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

// Tokens in the Lucia-guide shape `<id>.<secret>`: the id finds the row, and only SHA-256 of the
// 256-bit secret is stored, compared in constant time. Used for sessions, email links and invites.

export function randomString(bytes: number) {
	const buf = new Uint8Array(bytes);
	crypto.getRandomValues(buf);
	return encodeBase32LowerCaseNoPadding(buf);
}

export function hashSecret(secret: string) {
	return sha256(new TextEncoder().encode(secret));
}

export function newToken() {
	const id = randomString(15); // 120 bits: unguessable lookup key
	const secret = randomString(32); // 256 bits
	return { id, secretHash: hashSecret(secret), token: `${id}.${secret}` };
}

export function splitToken(token: string): { id: string; secret: string } | null {
	const parts = token.split('.');
	if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
	if (parts[0].length > 64 || parts[1].length > 128) return null;
	return { id: parts[0], secret: parts[1] };
}

export function secretMatches(secret: string, storedHash: Uint8Array) {
	return constantTimeEqual(hashSecret(secret), storedHash);
}
