import type postgres from 'postgres';

// The money benches' data set (issue 5): one organisation with reps, pipelines, deals (a share
// won), payments over twelve months, instalment schedules, contracts and some voided payments,
// made by generate_series inside PostgreSQL in one transaction (no row leaves the server), so
// 100,000 deals and 300,000 payments load in seconds. setseed makes it the same on every run.
//
// Everything is consistent the way the app keeps it: `deal_balances.paid` equals the sum of the
// deal's payments not voided; each won deal has a `deal_events` status row (→ 'won') carrying
// the amount and owner at the win, at the deal's `updated_at`; payments carry the deal's owner,
// pipeline, customer and (for deals with a contract) the contract; nothing is paid before the
// win nor after `today`.

export type MoneyDataOptions = {
	deals?: number;
	payments?: number;
	reps?: number;
	pipelines?: number;
	customers?: number;
	/** Share of deals won, 0–1. */
	wonShare?: number;
	/** The last day payments may fall on (`YYYY-MM-DD`, org calendar); default today. */
	today?: string;
	timeZone?: string;
	/** setseed argument, -1…1. */
	seed?: number;
};

export type MoneyData = {
	orgId: string;
	ownerId: string;
	managerId: string;
	accountantId: string;
	/** The sales reps, in creation order. */
	userIds: string[];
	pipelineIds: string[];
	today: string;
	timeZone: string;
	counts: {
		deals: number;
		won: number;
		payments: number;
		voids: number;
		instalments: number;
		contracts: number;
		customers: number;
	};
};

const GIVENS = ['An', 'Bình', 'Cường', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hùng', 'Lan', 'Linh'];
const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Phan', 'Vũ', 'Đặng', 'Bùi', 'Đỗ'];
const PRODUCTS = [
	'Máy lọc nước RO',
	'Điều hoà 2 chiều',
	'Phần mềm quản lý kho',
	'Thi công nội thất',
	'Bảo trì thang máy',
	'Camera an ninh',
	'Năng lượng mặt trời áp mái',
	'Website bán hàng'
];
const PIPELINES = ['Bán hàng dự án', 'Bán lẻ', 'Dịch vụ bảo trì', 'Đại lý', 'Xuất khẩu'];

function todayIn(timeZone: string) {
	return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
}

/** Loads the data set into a fresh organisation; returns its ids and counts. */
export async function seedMoneyData(
	sql: postgres.Sql,
	opts: MoneyDataOptions = {}
): Promise<MoneyData> {
	const dealCount = opts.deals ?? 100_000;
	const paymentCount = opts.payments ?? 300_000;
	const repCount = opts.reps ?? 20;
	const pipelineCount = Math.min(PIPELINES.length, opts.pipelines ?? 3);
	const customerCount = opts.customers ?? Math.max(1, Math.round(dealCount / 4));
	const wonShare = opts.wonShare ?? 0.4;
	const timeZone = opts.timeZone ?? 'Asia/Ho_Chi_Minh';
	const today = opts.today ?? todayIn(timeZone);
	const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

	const result = await sql.begin(async (tx) => {
		await tx`select setseed(${opts.seed ?? 0.37})`;
		const people = [
			{ role: 'owner', name: 'Trần Thị Bích' },
			{ role: 'manager', name: 'Lê Văn Cường' },
			{ role: 'accountant', name: 'Ngô Thị Thu' },
			...Array.from({ length: repCount }, (_, i) => ({
				role: 'sales',
				name: `${SURNAMES[i % SURNAMES.length]} Văn ${GIVENS[Math.floor(i / SURNAMES.length) % GIVENS.length]} ${i + 1}`
			}))
		];
		const users = await tx<{ id: string }[]>`
			insert into users (id, email, name, password_hash, email_verified_at)
			select gen_random_uuid(), 'money-bench-' || ${tag} || '-' || n || '@example.vn', p.name,
				'bench: never logs in with a password', now()
			from unnest(${tx.array(people.map((p) => p.name))}::text[]) with ordinality as p(name, n)
			order by n
			returning id`;
		// `returning` keeps the insert's order, which follows `order by n`.
		const ids = users.map((u) => u.id);
		const [org] = await tx<{ id: string }[]>`
			insert into organisations (id, name, time_zone)
			values (gen_random_uuid(), 'Công ty CP Thương mại Sao Việt', ${timeZone})
			returning id`;
		const orgId = org!.id;
		await tx`
			insert into memberships (org_id, user_id, role)
			select ${orgId}, u, r
			from unnest(${tx.array(ids)}::uuid[], ${tx.array(people.map((p) => p.role))}::text[]) as x(u, r)`;
		const pipelineRows = await tx<{ id: string }[]>`
			insert into pipelines (id, org_id, name, position, created_by)
			select gen_random_uuid(), ${orgId}, name, 'a' || n, ${ids[0]!}
			from unnest(${tx.array(PIPELINES.slice(0, pipelineCount))}::text[]) with ordinality as p(name, n)
			order by n
			returning id`;
		const pipelineIds = pipelineRows.map((p) => p.id);
		// Reps see only their own deals (the common setting, and the costlier access rule).
		await tx`
			insert into pipeline_settings (pipeline_id, org_id, visibility, editing)
			select p, ${orgId}, 'own', 'own' from unnest(${tx.array(pipelineIds)}::uuid[]) as p`;
		const repIds = ids.slice(3);

		await tx`
			insert into customers (id, org_id, kind, name, phones, owner_id, created_at)
			select gen_random_uuid(), ${orgId}, case when n % 3 = 0 then 'company' else 'person' end,
				case when n % 3 = 0 then 'Công ty TNHH ' || s[1 + n % 10] || ' ' || g[1 + (n / 10) % 10] || ' ' || n
					else s[1 + n % 10] || ' Thị ' || g[1 + (n / 10) % 10] || ' ' || n end,
				array['+849' || lpad((n % 100000000)::text, 8, '0')],
				${ids[0]!}, now() - interval '400 days'
			from generate_series(1, ${customerCount}::int) as n,
				(select ${tx.array(SURNAMES)}::text[] as s, ${tx.array(GIVENS)}::text[] as g) as pool`;
		await tx`
			create temp table money_customers on commit drop as
			select id, name, phones[1] as phone, row_number() over (order by id)::int as n
			from customers where org_id = ${orgId}`;
		await tx`create index on money_customers (n)`;

		// Won deals were won within the last year, at a random moment; `updated_at` is the win.
		await tx`
			insert into deals (id, org_id, pipeline_id, owner_id, title, position, customer_id,
				customer_name, customer_phone, amount, starred, status, created_at, updated_at,
				stage_entered_at)
			select gen_random_uuid(), ${orgId}, pl[1 + i % array_length(pl, 1)]::uuid,
				o[1 + (i / 7) % array_length(o, 1)]::uuid,
				pr[1 + i % array_length(pr, 1)] || ' — đơn ' || i, 'a0', c.id, c.name, c.phone,
				(5 + floor(random() * 500)::int) * 1000000, false, d.status, d.at - interval '30 days',
				d.at, d.at - interval '30 days'
			from generate_series(1, ${dealCount}::int) as i
				cross join lateral (select
					case when random() < ${wonShare} then 'won'
						when random() < 0.7 then 'open' when random() < 0.8 then 'lost' else 'standby' end
						as status,
					(${today}::date + time '17:00') at time zone ${timeZone}
						- random() * interval '365 days' - interval '1 day' * (i % 2) as at
					where i > 0) as d
				join money_customers c on c.n = 1 + (i * 7919) % ${customerCount}::int,
				(select ${tx.array(pipelineIds)}::text[] as pl, ${tx.array(repIds)}::text[] as o,
					${tx.array(PRODUCTS)}::text[] as pr) as pool`;

		await tx`
			create temp table money_won on commit drop as
			select id, owner_id, pipeline_id, customer_id, amount, updated_at as won_at,
				(updated_at at time zone ${timeZone})::date as won_on,
				row_number() over (order by id)::int as k
			from deals where org_id = ${orgId} and status = 'won'`;
		await tx`create index on money_won (k)`;
		const [wonRow] = await tx<{ won: number }[]>`select count(*)::int as won from money_won`;
		const won = wonRow!.won;

		await tx`
			insert into deal_events (id, org_id, deal_id, kind, from_value, to_value, amount, owner_id,
				actor_id, created_at)
			select gen_random_uuid(), ${orgId}, id, 'status', 'open', 'won', amount, owner_id, owner_id,
				won_at
			from money_won`;

		// A contract for one won deal in five, worth the deal.
		await tx`
			insert into contracts (id, org_id, deal_id, customer_id, number, title, value, signed_on,
				starts_on, ends_on, status, created_by)
			select gen_random_uuid(), ${orgId}, id, customer_id, 'HĐ-' || ${tag} || '/' || k,
				'Hợp đồng ' || k, amount, won_on, won_on, won_on + 365, 'active', owner_id
			from money_won where k % 5 = 0`;
		await tx`
			create temp table money_contract on commit drop as
			select deal_id, id from contracts where org_id = ${orgId}`;
		await tx`create index on money_contract (deal_id)`;

		// Schedules for three won deals in ten: 2–4 monthly instalments from the win, the last
		// taking the rounding remainder, so they add up to the deal's value.
		await tx`
			insert into payment_instalments (id, org_id, deal_id, contract_id, due_on, amount, note,
				created_by)
			select gen_random_uuid(), ${orgId}, w.id, mc.id, w.won_on + 30 * (j - 1),
				case when j < m then w.amount / m else w.amount - (w.amount / m) * (m - 1) end,
				'Đợt ' || j, w.owner_id
			from money_won w
				left join money_contract mc on mc.deal_id = w.id
				cross join lateral (select 2 + w.k % 3 as m) as mm
				cross join lateral generate_series(1, mm.m) as j
			where w.k % 10 < 3`;

		// Payment i goes to won deal 1 + i mod won: seven or eight each. Each deal pays a share
		// of its value per payment (1–14 %), so from about 7 % paid to a little overpaid.
		await tx`
			insert into payments (id, org_id, deal_id, contract_id, customer_id, owner_id, pipeline_id,
				amount, paid_on, method, reference, idempotency_key, request_hash, recorded_by,
				created_at)
			select gen_random_uuid(), ${orgId}, w.id, mc.id, w.customer_id, w.owner_id, w.pipeline_id,
				greatest(1000, round(w.amount * ((w.k * 37) % 14 + 1) / 100.0 * (0.5 + random()) / 1000) * 1000)::bigint,
				p.paid_on, (array['transfer', 'transfer', 'cash', 'card', 'other'])[1 + i % 5],
				'UNC ' || i, 'money-bench-' || i, md5(i::text), w.owner_id,
				(p.paid_on + time '10:00') at time zone ${timeZone}
			from generate_series(1, ${paymentCount}::int) as i
				join money_won w on w.k = 1 + i % ${won}::int
				left join money_contract mc on mc.deal_id = w.id
				cross join lateral (select w.won_on
					+ floor(random() * greatest(1, ${today}::date - w.won_on + 1))::int as paid_on
					where i > 0) as p`;

		// About one payment in a hundred taken back.
		await tx`
			insert into payment_voids (id, org_id, payment_id, deal_id, reason, idempotency_key,
				request_hash, voided_by, created_at)
			select gen_random_uuid(), org_id, id, deal_id, 'Nhập nhầm số tiền', 'void-' || id,
				md5(id::text), owner_id, created_at + interval '1 day'
			from payments where org_id = ${orgId} and random() < 0.01`;

		await tx`
			insert into deal_balances (deal_id, org_id, paid, payments, updated_at)
			select p.deal_id, ${orgId}, coalesce(sum(p.amount) filter (where v.id is null), 0),
				count(*) filter (where v.id is null), now()
			from payments p left join payment_voids v on v.payment_id = p.id
			where p.org_id = ${orgId}
			group by p.deal_id`;

		const [counts] = await tx<
			{ voids: number; instalments: number; contracts: number; payments: number }[]
		>`
			select (select count(*)::int from payment_voids where org_id = ${orgId}) as voids,
				(select count(*)::int from payment_instalments where org_id = ${orgId}) as instalments,
				(select count(*)::int from contracts where org_id = ${orgId}) as contracts,
				(select count(*)::int from payments where org_id = ${orgId}) as payments`;
		return {
			orgId,
			ownerId: ids[0]!,
			managerId: ids[1]!,
			accountantId: ids[2]!,
			userIds: repIds,
			pipelineIds,
			won,
			counts: counts!
		};
	});

	// As autovacuum would soon: planner statistics and visibility maps for index-only scans.
	for (const table of [
		'deals',
		'deal_events',
		'payments',
		'payment_voids',
		'deal_balances',
		'payment_instalments',
		'contracts',
		'customers'
	])
		await sql.unsafe(`vacuum analyze ${table}`);

	return {
		orgId: result.orgId,
		ownerId: result.ownerId,
		managerId: result.managerId,
		accountantId: result.accountantId,
		userIds: result.userIds,
		pipelineIds: result.pipelineIds,
		today,
		timeZone,
		counts: {
			deals: dealCount,
			won: result.won,
			payments: result.counts.payments,
			voids: result.counts.voids,
			instalments: result.counts.instalments,
			contracts: result.counts.contracts,
			customers: customerCount
		}
	};
}
