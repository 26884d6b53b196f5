import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { dealsDocName } from '../../src/lib/board/doc';
import type { Db } from '../../src/lib/server/db';
import { deals, memberships, pipelines, users, type Role } from '../../src/lib/server/db/schema';
import { hashPassword } from '../../src/lib/server/auth/password';
import * as orgs from '../../src/lib/server/orgs/orgs.repo';

// Test data from factories, not hand-built rows. Passwords are hashed for real (Argon2id), so
// reuse one user per file where speed matters.
export const DEFAULT_PASSWORD = 'mat-khau-rat-manh-2026';

export async function createUser(
	db: Db,
	{
		email = `user-${uuidv7()}@example.vn`,
		name = 'Nguyễn Văn An',
		password = DEFAULT_PASSWORD,
		verified = true,
		locale = 'vi' as const
	}: {
		email?: string;
		name?: string;
		password?: string;
		verified?: boolean;
		locale?: 'vi' | 'en';
	} = {}
) {
	const [user] = await db
		.insert(users)
		.values({
			email,
			name,
			locale,
			passwordHash: await hashPassword(password),
			emailVerifiedAt: verified ? new Date() : null
		})
		.returning();
	return { ...user!, password };
}

export async function createOrg(
	db: Db,
	{ ownerId, name = 'Công ty TNHH Ánh Dương' }: { ownerId: string; name?: string }
) {
	return orgs.create(db, { ownerId, settings: { name } });
}

/**
 * An owner with an organisation of their own, its default pipeline, and the name of the
 * owner's shard of it: the start of a board spec.
 */
export async function createOwnerBoard(db: Db, { name = 'Trần Thị Lan' }: { name?: string } = {}) {
	const owner = await createUser(db, { name });
	const org = await createOrg(db, { ownerId: owner.id });
	const [pipeline] = await db.select().from(pipelines).where(eq(pipelines.orgId, org.id));
	const pipelineId = pipeline!.id;
	return { owner, org, pipelineId, shardName: dealsDocName(pipelineId, owner.id) };
}

export async function addMember(
	db: Db,
	{ orgId, userId, role }: { orgId: string; userId: string; role: Role }
) {
	await db.insert(memberships).values({ orgId, userId, role });
}

/**
 * A row of the deals projection for a plain open deal, as the projection writes it; `overrides`
 * sets any column. Insert it with `db.insert(deals).values(...)`.
 */
export function projectedDeal(
	overrides: Pick<typeof deals.$inferInsert, 'orgId' | 'pipelineId' | 'ownerId'> &
		Partial<typeof deals.$inferInsert>
): typeof deals.$inferInsert & { id: string } {
	const at = overrides.createdAt ?? new Date('2026-11-02T09:00:00+07:00');
	return {
		id: uuidv7(),
		title: 'Lắp điều hoà văn phòng',
		position: 'a0',
		amount: 0,
		starred: false,
		status: 'open',
		createdAt: at,
		updatedAt: at,
		stageEnteredAt: at,
		...overrides
	};
}
