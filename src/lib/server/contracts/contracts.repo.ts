import { and, asc, desc, eq, gte, inArray, isNull, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { dealsDocName, readStages } from '$lib/board/doc';
import { createDeal } from '$lib/board/ops';
import { readDeal } from '$lib/board/read';
import { addDays, daysBetween, nextTerm } from '$lib/contracts/dates';
import type { ContractStatus, ContractView } from '$lib/contracts/types';
import { translate, type Locale } from '$lib/i18n';
import type { Tx } from '../db';
import {
	contracts,
	deals,
	files,
	memberships,
	paymentVoids,
	payments,
	pipelineSettings,
	pipelines,
	users,
	type Role
} from '../db/schema';
import { visibleDeals } from '../deals/visibility';
import { canEditDeal } from '../files/files.repo';
import { readBoard, type ChangeDoc } from '../pipelines/pipelines.repo';
import type { ContractInput, RenewInput } from './forms';

// Contracts (hợp đồng) signed for deals: ledger rows, never deleted (cancelling sets a status).
// A contract is visible exactly when its deal is (visibleDeals). Those who may edit the deal may
// edit its contracts, and so may accountants, who handle the contracts' money.

export type Member = { orgId: string; userId: string; role: Role };

export type ContractRefusal =
	| 'not_found'
	| 'forbidden'
	| 'number_taken'
	| 'file'
	| 'cancelled'
	| 'not_active'
	| 'already_renewed'
	| 'no_end'
	| 'ends_before_start'
	| 'pipeline'
	| 'stage'
	| 'owner';

export class ContractRefused extends Error {
	constructor(
		readonly code: ContractRefusal,
		readonly field?: string,
		readonly params?: Record<string, string | number>
	) {
		super(code);
	}
}

export function canEditContracts(input: Parameters<typeof canEditDeal>[0]): boolean {
	return input.role === 'accountant' || canEditDeal(input);
}

const dealFields = {
	id: deals.id,
	title: deals.title,
	pipelineId: deals.pipelineId,
	ownerId: deals.ownerId,
	customerId: deals.customerId,
	customerName: deals.customerName,
	customerPhone: deals.customerPhone
};
export type ContractDeal = {
	id: string;
	title: string;
	pipelineId: string;
	ownerId: string;
	customerId: string | null;
	customerName: string | null;
	customerPhone: string | null;
};

/** The deal as this member may reach it, or null when they may not see it (or it is unknown). */
export async function dealAccess(
	db: Tx,
	{ dealId, ...member }: Member & { dealId: string }
): Promise<{ canEdit: boolean; deal: ContractDeal } | null> {
	const [row] = await db
		.select({ ...dealFields, editing: pipelineSettings.editing })
		.from(deals)
		.leftJoin(pipelineSettings, eq(pipelineSettings.pipelineId, deals.pipelineId))
		.where(and(eq(deals.id, dealId), visibleDeals(member)));
	if (!row) return null;
	const { editing, ...deal } = row;
	return { canEdit: canEditContracts({ ...member, ownerId: deal.ownerId, editing }), deal };
}

/** A contract whose deal this member may see, with that deal and whether they may edit it. */
export async function contractAccess(
	db: Tx,
	{ contractId, ...member }: Member & { contractId: string }
) {
	const [row] = await db
		.select({ contract: contracts, deal: dealFields, editing: pipelineSettings.editing })
		.from(contracts)
		.innerJoin(deals, eq(deals.id, contracts.dealId))
		.leftJoin(pipelineSettings, eq(pipelineSettings.pipelineId, deals.pipelineId))
		.where(
			and(eq(contracts.id, contractId), eq(contracts.orgId, member.orgId), visibleDeals(member))
		);
	if (!row) return null;
	const canEdit = canEditContracts({ ...member, ownerId: row.deal.ownerId, editing: row.editing });
	return { contract: row.contract, deal: row.deal, canEdit };
}

// --- Reading ---------------------------------------------------------------------------------

const previous = alias(contracts, 'previous');
const following = alias(contracts, 'following');

// Payments against the contract, less the voided ones: the same rule as the deal's balance.
const paidSql = sql<number>`coalesce((select sum(p.amount) from ${payments} p
	where p.contract_id = ${contracts.id}
	and not exists (select 1 from ${paymentVoids} v where v.payment_id = p.id)), 0)`.mapWith(Number);

/** An active contract whose end has passed shows as ended; no job has to flip it. */
const shownStatus = (today: string) =>
	sql<ContractStatus>`case when ${contracts.status} = 'active' and ${contracts.endsOn} < ${today}::date then 'ended' else ${contracts.status} end`;

const viewFields = {
	id: contracts.id,
	dealId: contracts.dealId,
	number: contracts.number,
	title: contracts.title,
	value: contracts.value,
	signedOn: contracts.signedOn,
	startsOn: contracts.startsOn,
	endsOn: contracts.endsOn,
	fileId: files.id,
	fileName: files.name,
	autoRenew: contracts.autoRenew,
	noticeDays: contracts.noticeDays,
	status: contracts.status,
	renewsId: previous.id,
	renewsNumber: previous.number,
	renewedById: following.id,
	renewedByNumber: following.number,
	renewalDealId: contracts.renewalDealId,
	paid: paidSql,
	dealTitle: deals.title,
	pipelineId: deals.pipelineId,
	pipelineName: pipelines.name,
	ownerId: deals.ownerId,
	ownerName: users.name,
	customerName: deals.customerName
};

function toView(r: ViewRow, today: string): ContractView {
	const value = r.value;
	const paid = r.paid;
	return {
		id: r.id,
		dealId: r.dealId,
		number: r.number,
		title: r.title,
		value,
		signedOn: r.signedOn,
		startsOn: r.startsOn,
		endsOn: r.endsOn,
		file: r.fileId && r.fileName ? { id: r.fileId, name: r.fileName } : null,
		autoRenew: r.autoRenew,
		noticeDays: r.noticeDays,
		status: r.status === 'active' && r.endsOn && r.endsOn < today ? 'ended' : r.status,
		renews: r.renewsId ? { id: r.renewsId, number: r.renewsNumber ?? '' } : null,
		renewedBy: r.renewedById ? { id: r.renewedById, number: r.renewedByNumber ?? '' } : null,
		renewalDealId: r.renewalDealId,
		paid,
		remaining: Math.max(value - paid, 0),
		daysLeft: r.endsOn ? daysBetween(today, r.endsOn) : null
	};
}

function viewQuery(db: Tx) {
	return db
		.select(viewFields)
		.from(contracts)
		.innerJoin(deals, eq(deals.id, contracts.dealId))
		.innerJoin(pipelines, eq(pipelines.id, deals.pipelineId))
		.leftJoin(users, eq(users.id, deals.ownerId))
		.leftJoin(
			files,
			and(eq(files.id, contracts.fileId), eq(files.status, 'ready'), isNull(files.deletedAt))
		)
		.leftJoin(previous, eq(previous.id, contracts.renewsId))
		.leftJoin(following, eq(following.renewsId, contracts.id));
}
type ViewRow = Awaited<ReturnType<typeof viewQuery>>[number];

/** A deal's contracts, newest term first, cancelled ones last (call only after `dealAccess`). */
export async function listForDeal(
	db: Tx,
	{ orgId, dealId, today }: { orgId: string; dealId: string; today: string }
): Promise<ContractView[]> {
	const rows = await viewQuery(db)
		.where(and(eq(contracts.orgId, orgId), eq(contracts.dealId, dealId)))
		.orderBy(
			// Cancelled ones last: what is in force comes first.
			sql`${contracts.status} = 'cancelled'`,
			desc(contracts.startsOn),
			desc(contracts.createdAt)
		);
	return rows.map((r) => toView(r, today));
}

/** One contract as the member sees it, or null. */
export async function get(
	db: Tx,
	{ contractId, today, ...member }: Member & { contractId: string; today: string }
): Promise<ContractView | null> {
	const [row] = await viewQuery(db).where(
		and(eq(contracts.id, contractId), eq(contracts.orgId, member.orgId), visibleDeals(member))
	);
	return row ? toView(row, today) : null;
}

export const statusFilters = [
	'active',
	'expiring',
	'ended',
	'renewed',
	'cancelled',
	'all'
] as const;
export type StatusFilter = (typeof statusFilters)[number];

export type ContractFilters = {
	/** `expiring`: active and ending within `within` days of today (inclusive). */
	status: StatusFilter;
	within: number;
	ownerId?: string;
	pipelineId?: string;
	q?: string;
	sort: 'ends' | '-ends';
};

export type OrgContract = ContractView & {
	dealTitle: string;
	pipelineId: string;
	pipelineName: string;
	ownerId: string;
	ownerName: string | null;
	customerName: string | null;
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, '\\$&');
const fold = (e: SQL) => sql`coalesce(public.chot_fold(${e}), '')`;

export const LIST_LIMIT = 500;

/** The organisation's contracts the member may see, filtered; at most `LIST_LIMIT`. */
export async function list(
	db: Tx,
	{ filters, today, ...member }: Member & { filters: ContractFilters; today: string }
): Promise<{ rows: OrgContract[]; more: boolean }> {
	const status = shownStatus(today);
	const where: (SQL | undefined)[] = [eq(contracts.orgId, member.orgId), visibleDeals(member)];
	if (filters.status === 'expiring') {
		where.push(
			eq(contracts.status, 'active'),
			gte(contracts.endsOn, today),
			lte(contracts.endsOn, addDays(today, filters.within))
		);
	} else if (filters.status !== 'all') {
		where.push(sql`${status} = ${filters.status}`);
	}
	if (filters.ownerId) where.push(eq(deals.ownerId, filters.ownerId));
	if (filters.pipelineId) where.push(eq(deals.pipelineId, filters.pipelineId));
	const term = filters.q?.trim().slice(0, 100);
	if (term) {
		const like = `%${escapeLike(term)}%`;
		where.push(
			or(
				sql`${fold(sql`${contracts.number}`)} like ${fold(sql`${like}`)}`,
				sql`${fold(sql`${contracts.title}`)} like ${fold(sql`${like}`)}`,
				sql`${fold(sql`${deals.customerName}`)} like ${fold(sql`${like}`)}`,
				sql`${fold(sql`${deals.title}`)} like ${fold(sql`${like}`)}`
			)
		);
	}
	const ends = sql`${contracts.endsOn}`;
	const rows = await viewQuery(db)
		.where(and(...where))
		.orderBy(
			filters.sort === '-ends' ? sql`${ends} desc nulls last` : sql`${ends} asc nulls last`,
			asc(contracts.number)
		)
		.limit(LIST_LIMIT + 1);
	return {
		rows: rows.slice(0, LIST_LIMIT).map((r) => ({
			...toView(r, today),
			dealTitle: r.dealTitle,
			pipelineId: r.pipelineId,
			pipelineName: r.pipelineName,
			ownerId: r.ownerId,
			ownerName: r.ownerName,
			customerName: r.customerName
		})),
		more: rows.length > LIST_LIMIT
	};
}

// --- Writing ---------------------------------------------------------------------------------

function isUniqueViolation(err: unknown, constraint: string): boolean {
	for (
		let e = err as { code?: string; constraint_name?: string; cause?: unknown } | undefined;
		e;
	) {
		if (e.code === '23505' && e.constraint_name === constraint) return true;
		e = e.cause as typeof e;
	}
	return false;
}

/** The signed copy must be a ready, not deleted file of the same deal. */
async function checkFile(
	db: Tx,
	{ orgId, dealId, fileId }: { orgId: string; dealId: string; fileId: string | null }
) {
	if (!fileId) return;
	const [row] = await db
		.select({ id: files.id })
		.from(files)
		.where(
			and(
				eq(files.id, fileId),
				eq(files.orgId, orgId),
				eq(files.dealId, dealId),
				eq(files.status, 'ready'),
				isNull(files.deletedAt)
			)
		);
	if (!row) throw new ContractRefused('file', 'fileId');
}

async function checkNumber(
	db: Tx,
	{ orgId, number, except }: { orgId: string; number: string; except?: string }
) {
	const [row] = await db
		.select({ id: contracts.id })
		.from(contracts)
		.where(
			and(
				eq(contracts.orgId, orgId),
				eq(contracts.number, number),
				except ? ne(contracts.id, except) : undefined
			)
		);
	if (row) throw new ContractRefused('number_taken', 'number', { number });
}

/** A refused unique number raced past `checkNumber`: the same clear message. */
function numberRace(err: unknown, number: string): never {
	if (isUniqueViolation(err, 'contracts_org_id_number_idx')) {
		throw new ContractRefused('number_taken', 'number', { number });
	}
	throw err;
}

export async function create(
	db: Tx,
	{
		orgId,
		deal,
		input,
		by
	}: { orgId: string; deal: ContractDeal; input: ContractInput; by: string }
): Promise<string> {
	await checkFile(db, { orgId, dealId: deal.id, fileId: input.fileId });
	await checkNumber(db, { orgId, number: input.number });
	try {
		const [row] = await db
			.insert(contracts)
			.values({ ...input, orgId, dealId: deal.id, customerId: deal.customerId, createdBy: by })
			.returning({ id: contracts.id });
		return row!.id;
	} catch (err) {
		numberRace(err, input.number);
	}
}

/** Changes a contract's terms; a cancelled contract stays as it was. */
export async function update(
	db: Tx,
	{
		orgId,
		contract,
		input
	}: {
		orgId: string;
		contract: { id: string; dealId: string; status: ContractStatus };
		input: ContractInput;
	}
) {
	if (contract.status === 'cancelled') throw new ContractRefused('cancelled');
	await checkFile(db, { orgId, dealId: contract.dealId, fileId: input.fileId });
	await checkNumber(db, { orgId, number: input.number, except: contract.id });
	try {
		await db
			.update(contracts)
			.set({ ...input, updatedAt: new Date() })
			.where(and(eq(contracts.id, contract.id), eq(contracts.orgId, orgId)));
	} catch (err) {
		numberRace(err, input.number);
	}
}

/** Cancels an active contract; the row stays. Cancelling it again changes nothing. */
export async function cancel(
	db: Tx,
	{ orgId, contractId }: { orgId: string; contractId: string }
): Promise<{ changed: boolean }> {
	const [row] = await db
		.update(contracts)
		.set({ status: 'cancelled', updatedAt: new Date() })
		.where(
			and(eq(contracts.id, contractId), eq(contracts.orgId, orgId), eq(contracts.status, 'active'))
		)
		.returning({ id: contracts.id });
	if (row) return { changed: true };
	const [now] = await db
		.select({ status: contracts.status })
		.from(contracts)
		.where(and(eq(contracts.id, contractId), eq(contracts.orgId, orgId)));
	if (now?.status === 'cancelled') return { changed: false };
	throw new ContractRefused(now ? 'not_active' : 'not_found');
}

export type Renewed = {
	contractId: string;
	/** False when this was a repeat of a renewal already made (a double submit). */
	created: boolean;
	renewalDealId: string | null;
	/** The renewal deal could not be written to the board; the contract is renewed regardless. */
	dealFailed: boolean;
};

/**
 * Renews a contract: the next contract (by default the day after the old end, as long as the
 * old term, the same value) and the old one marked `renewed`, in one transaction; then, if
 * asked, a renewal deal on a board, owned by the old deal's owner, written through the collab
 * server like any card. A contract is renewed once (unique `renews_id`): a repeat with the same
 * number answers with the renewal already made.
 */
export async function renew(
	rt: { db: Tx; changeDoc: ChangeDoc },
	{
		contractId,
		input,
		locale,
		...member
	}: Member & { contractId: string; input: RenewInput; locale: Locale }
): Promise<Renewed> {
	const { db } = rt;
	const found = await contractAccess(db, { ...member, contractId });
	if (!found) throw new ContractRefused('not_found');
	if (!found.canEdit) throw new ContractRefused('forbidden');
	const { contract: old, deal } = found;
	if (old.status !== 'active') return repeated(db, { old, number: input.number });
	if (!old.endsOn) throw new ContractRefused('no_end');

	const term = nextTerm({ startsOn: old.startsOn, endsOn: old.endsOn });
	const startsOn = input.startsOn ?? term.startsOn;
	const endsOn =
		input.endsOn ??
		(input.startsOn ? addDays(startsOn, daysBetween(term.startsOn, term.endsOn!)) : term.endsOn!);
	if (endsOn < startsOn) throw new ContractRefused('ends_before_start', 'endsOn');
	const value = input.value ?? old.value;
	const fileId = input.fileId ?? null;
	await checkFile(db, { orgId: member.orgId, dealId: old.dealId, fileId });
	await checkNumber(db, { orgId: member.orgId, number: input.number });

	const plan = input.deal ? await planDeal(db, { member, deal, wanted: input.deal, locale }) : null;
	const renewalDealId = plan ? uuidv7() : null;

	let newId: string;
	try {
		newId = await db.transaction(async (tx) => {
			const [locked] = await tx
				.select({ status: contracts.status })
				.from(contracts)
				.where(eq(contracts.id, old.id))
				.for('update');
			if (locked?.status !== 'active') throw new ContractRefused('already_renewed');
			const [row] = await tx
				.insert(contracts)
				.values({
					orgId: member.orgId,
					dealId: old.dealId,
					customerId: deal.customerId ?? old.customerId,
					number: input.number,
					title: input.title ?? old.title,
					value,
					signedOn: input.signedOn,
					startsOn,
					endsOn,
					fileId,
					autoRenew: input.autoRenew ?? old.autoRenew,
					noticeDays: input.noticeDays ?? old.noticeDays,
					renewsId: old.id,
					renewalDealId,
					createdBy: member.userId
				})
				.returning({ id: contracts.id });
			await tx
				.update(contracts)
				.set({ status: 'renewed', updatedAt: new Date() })
				.where(eq(contracts.id, old.id));
			return row!.id;
		});
	} catch (err) {
		// A second submit that lost the race: answer with what the first one made.
		if (
			(err instanceof ContractRefused && err.code === 'already_renewed') ||
			isUniqueViolation(err, 'contracts_renews_id_idx')
		) {
			return repeated(db, { old: { ...old, status: 'renewed' }, number: input.number });
		}
		numberRace(err, input.number);
	}

	if (!plan || !renewalDealId) {
		return { contractId: newId, created: true, renewalDealId: null, dealFailed: false };
	}
	try {
		await writeDeal(rt, { ...plan, dealId: renewalDealId, amount: value, userId: member.userId });
		return { contractId: newId, created: true, renewalDealId, dealFailed: false };
	} catch {
		// The contract stands; it must not point at a deal that was never written.
		await db.update(contracts).set({ renewalDealId: null }).where(eq(contracts.id, newId));
		return { contractId: newId, created: true, renewalDealId: null, dealFailed: true };
	}
}

async function repeated(
	db: Tx,
	{ old, number }: { old: { id: string; status: ContractStatus }; number: string }
): Promise<Renewed> {
	if (old.status !== 'renewed') throw new ContractRefused('not_active');
	const [next] = await db
		.select({ id: contracts.id, number: contracts.number, renewalDealId: contracts.renewalDealId })
		.from(contracts)
		.where(eq(contracts.renewsId, old.id));
	if (!next || next.number !== number) throw new ContractRefused('already_renewed');
	return {
		contractId: next.id,
		created: false,
		renewalDealId: next.renewalDealId,
		dealFailed: false
	};
}

type DealPlan = {
	pipelineId: string;
	stageId: string;
	ownerId: string;
	title: string;
	customerId: string | null;
	customerName: string | null;
	customerPhone: string | null;
};

/** Checks where the renewal deal goes before anything is written. */
async function planDeal(
	db: Tx,
	{
		member,
		deal,
		wanted,
		locale
	}: {
		member: Member;
		deal: ContractDeal;
		wanted: NonNullable<RenewInput['deal']>;
		locale: Locale;
	}
): Promise<DealPlan> {
	const [pipeline] = await db
		.select({ id: pipelines.id })
		.from(pipelines)
		.where(
			and(
				eq(pipelines.id, wanted.pipelineId),
				eq(pipelines.orgId, member.orgId),
				isNull(pipelines.archivedAt)
			)
		);
	if (!pipeline) throw new ContractRefused('pipeline', 'deal.pipelineId');
	const board = await readBoard(db, { pipelineId: pipeline.id });
	const stages = readStages(board.pipelineDoc);
	board.destroy();
	const stageId = wanted.stageId ?? stages[0]?.id;
	if (!stageId || !stages.some((s) => s.id === stageId)) {
		throw new ContractRefused('stage', 'deal.stageId');
	}
	// The old deal's owner keeps the customer; if they have left (or only keep the books), the
	// person renewing takes the deal.
	const owners = await db
		.select({ userId: memberships.userId, role: memberships.role })
		.from(memberships)
		.where(
			and(
				eq(memberships.orgId, member.orgId),
				inArray(memberships.userId, [deal.ownerId, member.userId])
			)
		);
	const canOwn = (id: string) => owners.some((o) => o.userId === id && o.role !== 'accountant');
	const ownerId = canOwn(deal.ownerId)
		? deal.ownerId
		: canOwn(member.userId)
			? member.userId
			: null;
	if (!ownerId) throw new ContractRefused('owner', 'deal.pipelineId');
	const title =
		wanted.title || translate(locale, 'contracts.renew.dealTitleDefault', { title: deal.title });
	return {
		pipelineId: pipeline.id,
		stageId,
		ownerId,
		title: [...title].slice(0, 200).join(''),
		customerId: deal.customerId,
		customerName: deal.customerName,
		customerPhone: deal.customerPhone
	};
}

/** The renewal card, at the end of its column, through the collab server (live for everyone). */
async function writeDeal(
	rt: { db: Tx; changeDoc: ChangeDoc },
	plan: DealPlan & { dealId: string; amount: number; userId: string }
) {
	const board = await readBoard(rt.db, { pipelineId: plan.pipelineId });
	try {
		await rt.changeDoc(dealsDocName(plan.pipelineId, plan.ownerId), (doc) => {
			if (readDeal(doc, plan.dealId)) return;
			createDeal(
				{ pipelineDoc: board.pipelineDoc, dealDoc: doc, dealDocs: [...board.shards.values()] },
				{
					id: plan.dealId,
					title: plan.title,
					stageId: plan.stageId,
					ownerId: plan.ownerId,
					amount: plan.amount,
					...(plan.customerId ? { customerId: plan.customerId } : {}),
					...(plan.customerName ? { customerName: plan.customerName } : {}),
					...(plan.customerPhone ? { customerPhone: plan.customerPhone } : {})
				},
				{ kind: 'user', userId: plan.userId }
			);
		});
	} finally {
		board.destroy();
	}
}

/** The organisation's open pipelines by name, for the list's filter. */
export async function pipelineOptions(db: Tx, { orgId }: { orgId: string }) {
	return db
		.select({ id: pipelines.id, name: pipelines.name })
		.from(pipelines)
		.where(and(eq(pipelines.orgId, orgId), isNull(pipelines.archivedAt)))
		.orderBy(asc(pipelines.position), asc(pipelines.id));
}
